from shop.app import app


def test_login():
    client = app.test_client()
    response = client.post("/login", data={"user": "alice", "password": "correct horse"})
    assert response.status_code == 200
