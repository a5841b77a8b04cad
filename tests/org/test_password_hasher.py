"""Passwords are stored with Argon2id at OWASP's m=46 MiB, t=1, p=1; a hash made with Django's
own Argon2 settings still signs the user in and is rewritten with ours at that login."""

from __future__ import annotations

import argon2
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher
from django.test import override_settings

from minzheng.settings import base
from org.models import User
from org.passwords import Argon2idPasswordHasher

HASHERS = [
    "org.passwords.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD = "Lanshan-minzheng-2020"


def parameters(encoded: str) -> argon2.Parameters:
    return argon2.extract_parameters(encoded.removeprefix("argon2"))


def test_the_settings_hash_new_passwords_with_ours():
    assert base.PASSWORD_HASHERS[0] == "org.passwords.Argon2idPasswordHasher"


def test_it_hashes_with_owasps_setting():
    encoded = Argon2idPasswordHasher().encode(PASSWORD, Argon2idPasswordHasher().salt())
    found = parameters(encoded)
    assert (found.type, found.memory_cost, found.time_cost, found.parallelism) == (
        argon2.Type.ID,
        47104,
        1,
        1,
    )
    assert Argon2idPasswordHasher().verify(PASSWORD, encoded)
    assert not Argon2idPasswordHasher().verify(PASSWORD + "x", encoded)


@override_settings(PASSWORD_HASHERS=HASHERS)
def test_it_signs_in_with_an_old_hash_and_rewrites_it(db):
    django_default = Argon2PasswordHasher()
    old = django_default.encode(PASSWORD, django_default.salt())
    assert parameters(old).parallelism == django_default.parallelism != 1
    user = User.objects.create(username="old-hash", password=old)
    assert identify_hasher(old).__class__ is Argon2idPasswordHasher
    assert user.check_password(PASSWORD)
    user.refresh_from_db()
    assert user.password != old
    assert parameters(user.password).memory_cost == 47104
    assert user.check_password(PASSWORD)
    assert not user.check_password("wrong-password-2020")
