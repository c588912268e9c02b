from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from openita.web.agencies.models import Agency
from openita.web.demo import LOGINS, PROVINCE, load_demo
from openita.web.results.models import Assessment
from openita.web.surveys.models import Campaign


@pytest.mark.django_db
def test_demo_loads_twice_without_doubling() -> None:
    load_demo()
    counts = (Agency.objects.count(), Assessment.objects.count())
    load_demo()
    assert (Agency.objects.count(), Assessment.objects.count()) == counts == (5, 12)
    client = Client()
    officer = next(x for x in LOGINS if x.username == "officer")
    assert client.login(username=officer.username, password=officer.password)
    example = Agency.objects.get(name="เทศบาลตำบลตัวอย่าง", province=PROVINCE)
    page = client.get(reverse("results:detail", args=[example.pk, 2565])).content.decode()
    assert "90.52" in page
    # its own surveys: an IIT with codes, an EIT with one answer held, a self-assessed total
    from openita.web.surveys import selectors as surveys

    iit, eit = (Campaign.objects.get(agency=example, tool=t) for t in ("IIT", "EIT"))
    assert (surveys.counts(iit).counted, surveys.counts(iit).codes_used) == (15, 15)
    assert (surveys.counts(eit).counted, surveys.counts(eit).held) == (22, 1)
    own = surveys.self_assessed(example, 2569)
    assert own.result is not None and set(own.sources) == {"IIT", "EIT", "OIT"}
    assert 50 < own.result.total <= 100


def test_production_settings_pass_the_deploy_check() -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "openita.web.settings_production",
        "SECRET_KEY": "x" * 64 + "-production-key-for-the-check",
        "ALLOWED_HOSTS": "ita.example.org",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "openita.web.manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
