FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=minzheng.settings.production
WORKDIR /app
# pg_dump / pg_restore for make backup and make restore (15, as the postgres:15 service);
# LibreOffice converts plan files in .doc / .wps (campaigns/plan_import/convert.py), with the CJK
# fonts the converted text is laid out in.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    libreoffice-writer-nogui fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
COPY minzheng ./minzheng
COPY org ./org
COPY campaigns ./campaigns
COPY relief ./relief
COPY eldercare ./eldercare
COPY audit ./audit
RUN pip install --no-cache-dir .
COPY . .
RUN useradd --create-home --uid 1000 dalei && mkdir -p /app/staticfiles /app/media && chown -R dalei /app
USER dalei
EXPOSE 8000
CMD ["deploy/web.sh"]
