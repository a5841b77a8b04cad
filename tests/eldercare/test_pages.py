"""The eldercare pages: 六晒 posts (photos checked, re-encoded, served through access checks),
四赛 scores, facilities, and who may do what."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from eldercare.models import CommunityFacility, DisplayPost, Inspection
from eldercare.photos import media_path
from tests.conftest import Tree, client_for
from tests.eldercare.factories import facility, institution, jpeg


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (35.0, 3.0, 12.5)
    return exif.tobytes()


def upload(client, unit, data: bytes, name: str = "photo.jpg", item: str = "meals"):
    return client.post(
        reverse("eldercare:institution_displays", args=[unit.pk]),
        {
            "item": item,
            "day": timezone.localdate().isoformat(),
            "photo": SimpleUploadedFile(name, data),
        },
    )


@pytest.fixture
def home(tree: Tree):
    return institution(tree.institution_a)


def test_it_posts_a_photo_without_its_metadata(tree: Tree, home, institution):
    original = jpeg((1200, 900), exif=gps_exif())
    assert Image.open(BytesIO(original)).getexif().get(0x010F) == "PhoneMaker"
    response = upload(client_for(institution), tree.institution_a, original)
    assert response.status_code == 302
    post = DisplayPost.objects.get()
    assert (post.item, post.day, post.on_time) == ("meals", timezone.localdate(), True)
    stored = Image.open(media_path(post.photo))
    assert stored.format == "JPEG" and not stored.getexif() and "exif" not in stored.info
    assert max(Image.open(media_path(post.thumbnail)).size) <= 360
    served = client_for(institution).get(reverse("eldercare:post_photo", args=[post.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"PhoneMaker" not in b"".join(served.streaming_content)


def test_it_sniffs_the_content_not_the_name(tree: Tree, home, institution):
    client = client_for(institution)
    response = upload(client, tree.institution_a, b"<script>alert(1)</script>", "fake.jpg")
    assert response.status_code == 200
    assert "文件不是有效的图片" in response.content.decode()
    png = jpeg(fmt="PNG")
    assert upload(client, tree.institution_a, png, "photo.txt").status_code == 302
    assert DisplayPost.objects.count() == 1


def test_it_takes_one_photo_per_item_and_day(tree: Tree, home, institution):
    client = client_for(institution)
    assert upload(client, tree.institution_a, jpeg()).status_code == 302
    response = upload(client, tree.institution_a, jpeg())
    assert "今天的“膳食”已经晒过了" in response.content.decode()
    assert upload(client, tree.institution_a, jpeg(), item="kitchen").status_code == 302
    assert (
        "本周的“厨房”已经晒过了"
        in upload(client, tree.institution_a, jpeg(), item="kitchen").content.decode()
    )
    assert DisplayPost.objects.count() == 2


def test_it_marks_a_made_up_day_as_late(tree: Tree, home, institution):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client_for(institution).post(
        reverse("eldercare:institution_displays", args=[tree.institution_a.pk]),
        {
            "item": "food_samples",
            "day": yesterday.isoformat(),
            "photo": SimpleUploadedFile("a.jpg", jpeg()),
        },
    )
    assert response.status_code == 302
    assert DisplayPost.objects.get().on_time is False


def test_it_keeps_photos_and_posting_to_those_allowed(
    tree: Tree, home, institution, leader, township_b
):
    upload(client_for(institution), tree.institution_a, jpeg())
    post = DisplayPost.objects.get()
    photo_url = reverse("eldercare:post_photo", args=[post.pk])
    assert client_for(township_b).get(photo_url).status_code == 404
    assert client_for(leader).get(photo_url).status_code == 200
    assert upload(client_for(leader), tree.institution_a, jpeg(), item="rooms").status_code == 403
    assert (
        upload(client_for(township_b), tree.institution_a, jpeg(), item="rooms").status_code == 404
    )
    assert DisplayPost.objects.count() == 1
    page = client_for(institution).get(
        reverse("eldercare:institution_displays", args=[tree.institution_a.pk])
    )
    assert photo_url in page.content.decode()


def test_it_lets_the_institution_see_its_todo_at_home(tree: Tree, home, institution):
    page = client_for(institution).get(reverse("home")).content.decode()
    assert "今日“六晒”" in page and "食品留样" in page


def test_it_takes_scores_from_the_bureau_not_from_the_institution(
    tree: Tree, home, institution, township_a
):
    url = reverse("eldercare:inspection_create", args=[tree.institution_a.pk])
    data = {
        "inspected_on": "2020-06-05",
        "inspector": "镇街民政办",
        "fine_management": "95",
        "nutrition": "90.5",
        "kitchen": "88",
        "environment": "101",
    }
    assert client_for(institution).post(url, data).status_code == 403
    response = client_for(township_a).post(url, data)
    assert response.status_code == 200 and not Inspection.objects.exists()
    data["environment"] = "92"
    assert client_for(township_a).post(url, data).status_code == 302
    assert str(Inspection.objects.get().average) == "91.38"


def test_it_keeps_facilities_to_their_street(tree: Tree, township_a, township_b):
    url = reverse("eldercare:facility_create")
    data = {
        "community": tree.community_a1.pk,
        "name": "甲一日间照料中心",
        "estate": "甲一小区",
        "households": "1200",
        "estate_era": "new",
        "area": "260",
        "completed_on": "2020-05-01",
    }
    assert client_for(township_b).get(url).status_code == 403
    assert client_for(township_a).post(url, data).status_code == 302
    created = CommunityFacility.objects.get()
    assert created.required_area == 240 and created.meets_standard
    other = facility(tree.community_a2)
    assert (
        client_for(township_b).get(reverse("eldercare:facility_edit", args=[other.pk])).status_code
        == 404
    )
    page = client_for(township_b).get(reverse("eldercare:facility_list")).content.decode()
    assert "甲一日间照料中心" not in page


def test_it_shows_the_institution_pages(tree: Tree, home, leader):
    client = client_for(leader)
    for url in (
        reverse("eldercare:index"),
        reverse("eldercare:institution_detail", args=[tree.institution_a.pk]),
        reverse("eldercare:institution_displays", args=[tree.institution_a.pk]) + "?month=2020-06",
        reverse("eldercare:facility_list"),
        reverse("eldercare:centre_list"),
    ):
        assert client.get(url).status_code == 200, url
    assert date(2020, 6, 1)
