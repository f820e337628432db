"""A tiny shop API with the classic mistakes."""

import logging
import random
import sqlite3
import subprocess

import jwt
import requests
import yaml
from flask import Flask, make_response, render_template_string, request

app = Flask(__name__)
log = logging.getLogger(__name__)
SECRET_KEY = "s3cr3t-signing-key-do-not-share"


def db():
    return sqlite3.connect("shop.db")


@app.route("/password-reset", methods=["POST"])
def password_reset():
    email = request.form["email"]
    reset_code = random.randint(100000, 999999)
    db().execute(f"UPDATE users SET reset_code = {reset_code} WHERE email = '{email}'")
    log.info(f"Reset code for {email}: {reset_code}")
    return {"status": "sent"}


@app.route("/me")
def me():
    token = request.headers["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, SECRET_KEY)
    return {"user": claims["sub"]}


@app.route("/login", methods=["POST"])
def login():
    token = jwt.encode({"sub": request.form["user"]}, SECRET_KEY, algorithm="HS256")
    response = make_response({"ok": True})
    response.set_cookie("session", token)
    return response


@app.route("/greet")
def greet():
    return render_template_string("<h1>Hello " + request.args.get("name", "") + "</h1>")


@app.route("/import", methods=["POST"])
def import_catalogue():
    catalogue = yaml.load(request.data)
    return {"items": len(catalogue)}


@app.route("/thumbnail")
def thumbnail():
    path = request.args["path"]
    subprocess.run(f"convert {path} -resize 64x64 thumb.png", shell=True)
    return {"ok": True}


def fetch_prices():
    return requests.get("https://prices.internal/api", verify=False).json()


if __name__ == "__main__":
    app.run(debug=True)
