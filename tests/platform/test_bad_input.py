"""Input no form checks: characters PostgreSQL refuses and page numbers
past what it can count to get a clear answer and change nothing."""

import pytest
from django.urls import reverse

from complaints.models import Note

from .helpers import allocate, new_sr

pytestmark = pytest.mark.django_db


@pytest.fixture
def sr(caseworker, team_leader, resolution_team, client_person):
    return allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                    owner=caseworker)


@pytest.mark.parametrize("url", ["/sr/%00/", "/search/?q=a%00b", "/my-work/?status=%00", "/sr/SR-1/do/a%00/"])
def test_a_nul_character_in_the_address_is_a_400_with_a_message(client, caseworker, url):
    client.force_login(caseworker)
    response = client.get(url)
    assert response.status_code == 400
    assert "The address contains a character that is not allowed." in response.content.decode()


def test_a_nul_character_in_a_form_is_a_400_and_saves_nothing(client, caseworker, sr):
    client.force_login(caseworker)
    response = client.post(reverse("sr-note-add", args=[sr.reference]), {"text": "Rang the client\x00"})
    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()
    assert not Note.objects.filter(sr=sr).exists()
    # A letter preview looked its template up by the posted code: a server error before.
    preview = client.post(reverse("letters:preview", args=[sr.reference]), {"template": "CMSL\x005800"})
    assert preview.status_code == 400


@pytest.mark.parametrize("name", ["my-work", "sla:clock-list"])
def test_page_numbers_past_bigint_show_the_first_page(client, manager, caseworker, sr, name):
    client.force_login(caseworker if name == "my-work" else manager)
    for page in ["9" * 30, "-1", "0", "abc"]:
        response = client.get(reverse(name), {"page": page, "per_page": "-1"})
        assert response.status_code == 200, page
        assert response.context["table"].page.number == 1


def test_only_the_offered_page_sizes_are_honoured(client, caseworker, resolution_team, team_leader, client_person):
    for _ in range(3):
        allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                 owner=caseworker)
    client.force_login(caseworker)
    assert client.get(reverse("my-work"), {"per_page": "50"}).context["table"].paginator.per_page == 50
    # RequestConfig alone passed any number through: ?per_page=1000000 read the whole list.
    assert client.get(reverse("my-work"), {"per_page": "1000000"}).context["table"].paginator.per_page == 25
    assert client.get(reverse("my-work"), {"per_page": "2"}).context["table"].paginator.per_page == 25
