"""Signing in and out, in Vietnamese."""

from django.urls import reverse

from tests.conftest import PASSWORD


def test_it_shows_the_login_page_in_vietnamese(client, db):
    response = client.get("/dang-nhap/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đăng nhập" in page and "Tên đăng nhập" in page and "Mật khẩu" in page


def test_it_signs_in_and_lands_on_the_first_page(client, reviewer):
    response = client.post("/dang-nhap/", {"username": "reviewer", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Tổng quan" in page.content.decode()


def test_it_returns_to_the_page_asked_for_after_signing_in(client, reviewer):
    response = client.post("/dang-nhap/?next=/admin/", {"username": "reviewer", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_it_says_so_in_vietnamese_when_the_password_is_wrong(client, reviewer):
    response = client.post("/dang-nhap/", {"username": "reviewer", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/dang-nhap/?next=/"


def test_it_signs_out_by_post_only(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/dang-xuat/").status_code == 405
    assert client.get("/").status_code == 200

    response = client.post("/dang-xuat/")
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get("/").status_code == 302


def test_it_offers_sign_out_on_every_page(client, reviewer):
    client.force_login(reviewer)
    page = client.get("/").content.decode()
    assert 'action="/dang-xuat/"' in page and "Đăng xuất" in page
