"""PyFxA 0.9's profile client, unchanged, against fxa-server's profile API
(served under the same /v1 as the auth and OAuth routes). PyFxA has
methods for reading (profile, email, uid, avatar URL); writing the display
name and uploading or deleting an avatar go through the same client's
`apiclient` with PyFxA's own BearerTokenAuth, as an RP using PyFxA would."""
import pytest
import requests
from fxa._utils import BearerTokenAuth
from fxa.errors import ClientError
from fxa.profile import Client as Profile

from pyfxa_support import access_token, errno_of, register_client, sign_in

# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63"
    "6460f85f0f0002870180eb47ba920000000049454e44ae426082")


@pytest.fixture
def rp(start_server, fxa_cli):
    client = register_client(fxa_cli, "Profile RP", scopes=("profile", "profile:write", "openid"))
    server = start_server(env={"FXA_RATE_LIMIT_IP": "0", "FXA_AUTO_VERIFY": "true"})
    email, _, session = sign_in(server, "profile")
    return server, session, email, lambda scope: access_token(server, client, session, scope)


def test_reading_the_profile_email_uid_and_avatar(rp):
    server, session, email, token = rp
    profile = Profile(server.base)  # PyFxA appends /v1
    access = token("profile")
    whole = profile.get_profile(access)
    assert whole["uid"] == session.uid and whole["email"] == email
    assert whole["avatarDefault"] is True and whole["displayName"] is None
    assert whole["amrValues"] == ["pwd", "email"]
    assert profile.get_email(access) == email
    assert profile.get_uid(access) == session.uid
    # No upload yet: FxA's monogram default, from the email's first letter.
    assert profile.get_avatar_url(access) == server.base + "/v1/avatar/P"
    assert requests.get(server.base + "/v1/avatar/P", timeout=10).headers["content-type"] == "image/svg+xml"


def test_setting_the_display_name(rp):
    server, _, _, token = rp
    profile = Profile(server.base)
    writer = token("profile profile:write")
    assert profile.apiclient.post("/display_name", {"displayName": "Ada Lovelace"}, auth=BearerTokenAuth(writer)) == {}
    assert profile.apiclient.get("/display_name", auth=BearerTokenAuth(writer)) == {"displayName": "Ada Lovelace"}
    assert profile.get_profile(writer)["displayName"] == "Ada Lovelace"

    reader = token("profile")
    with pytest.raises(ClientError) as refused:
        profile.apiclient.post("/display_name", {"displayName": "Mallory"}, auth=BearerTokenAuth(reader))
    assert errno_of(refused) == 100 and refused.value.details["code"] == 403
    with pytest.raises(ClientError) as invalid:
        profile.apiclient.post("/display_name", {"displayName": "a\u0000b"}, auth=BearerTokenAuth(writer))
    assert errno_of(invalid) == 101


def test_uploading_reading_and_deleting_an_avatar(rp):
    server, _, _, token = rp
    profile = Profile(server.base)
    writer = token("profile profile:write")
    uploaded = profile.apiclient.post("/avatar/upload", data=PNG, headers={"Content-Type": "image/png"},
                                      auth=BearerTokenAuth(writer))
    url = uploaded["url"]
    assert url == server.base + "/a/" + uploaded["id"]
    image = requests.get(url, timeout=10)
    assert image.status_code == 200 and image.content == PNG and image.headers["content-type"] == "image/png"
    assert profile.get_avatar_url(writer) == url
    current = profile.apiclient.get("/avatar", auth=BearerTokenAuth(writer))
    assert current["avatarDefault"] is False and current["avatar"] == url

    assert profile.apiclient.delete("/avatar/" + current["id"], auth=BearerTokenAuth(writer)) == {}
    assert requests.get(url, timeout=10).status_code == 404
    assert profile.get_profile(writer)["avatarDefault"] is True

    with pytest.raises(ClientError) as not_an_image:
        profile.apiclient.post("/avatar/upload", data=b"<svg onload=alert(1)>", headers={"Content-Type": "image/png"},
                               auth=BearerTokenAuth(writer))
    assert errno_of(not_an_image) == 101


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_uploaded_avatars_lose_their_metadata_but_not_a_pixel(rp, fmt):
    """Cameras embed EXIF (with GPS), editors text and comments; avatar URLs
    are public. Pillow (a third-party decoder) checks the served image."""
    import io
    from PIL import Image, PngImagePlugin

    server, _, _, token = rp
    writer = token("profile profile:write")
    image = Image.new("RGB", (8, 5))
    image.putdata([(x * 30, y * 50, 90) for y in range(5) for x in range(8)])
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    options = {"JPEG": {"exif": exif.tobytes(), "comment": b"a secret", "quality": 95},
               "PNG": {"exif": exif.tobytes(), "pnginfo": PngImagePlugin.PngInfo()},
               "GIF": {"comment": b"a secret"},
               "WEBP": {"exif": exif.tobytes(), "lossless": True}}[fmt]
    if fmt == "PNG":
        options["pnginfo"].add_text("Comment", "a secret")
    source = image.convert("P") if fmt == "GIF" else image
    upload = io.BytesIO()
    source.save(upload, fmt, **options)
    assert b"secret" in upload.getvalue().replace(b"Secret", b"secret")

    url = Profile(server.base).apiclient.post("/avatar/upload", data=upload.getvalue(),
                                              headers={"Content-Type": "image/" + fmt.lower()},
                                              auth=BearerTokenAuth(writer))["url"]
    served = requests.get(url, timeout=10).content
    assert b"secret" not in served.lower() and b"SecretCam" not in served
    cleaned = Image.open(io.BytesIO(served))
    original = Image.open(io.BytesIO(upload.getvalue()))
    assert cleaned.format == fmt and cleaned.size == (8, 5)
    assert not cleaned.getexif() and "comment" not in cleaned.info and "Comment" not in cleaned.info
    assert cleaned.convert("RGB").tobytes() == original.convert("RGB").tobytes()


def test_scopes_and_bad_tokens(rp):
    server, _, email, token = rp
    profile = Profile(server.base)
    email_only = token("profile:email")
    assert profile.get_profile(email_only) == {"email": email, "uid": None, "avatar": None}
    with pytest.raises(ClientError) as refused:
        profile.get_uid(email_only)
    assert errno_of(refused) == 100 and refused.value.details["code"] == 403
    with pytest.raises(ClientError) as unknown:
        profile.get_profile("0" * 64)
    assert errno_of(unknown) == 100 and unknown.value.details["code"] == 401


def test_an_etag_lets_a_poller_skip_unchanged_profiles(rp):
    server, _, _, token = rp
    access = token("profile profile:write")
    headers = {"Authorization": "Bearer " + access}
    first = requests.get(server.base + "/v1/profile", headers=headers, timeout=10)
    etag = first.headers["etag"]
    again = requests.get(server.base + "/v1/profile", headers={**headers, "If-None-Match": etag}, timeout=10)
    assert again.status_code == 304 and again.content == b""
    Profile(server.base).apiclient.post("/display_name", {"displayName": "Changed"}, auth=BearerTokenAuth(access))
    changed = requests.get(server.base + "/v1/profile", headers={**headers, "If-None-Match": etag}, timeout=10)
    assert changed.status_code == 200 and changed.json()["displayName"] == "Changed"
