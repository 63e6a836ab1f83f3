import pytest


@pytest.mark.django_db
def test_home_page_welcomes_a_visitor(client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b"Tandem" in response.content
