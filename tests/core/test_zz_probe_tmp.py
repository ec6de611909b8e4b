from loti.core.services import api_token_create


def test_probe(client, staff, borough_a):
    _, raw = api_token_create(person=staff, name="t")
    h = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for body in [b"5", b"[]", b'"x"', b"null", b"", b"{}"]:
        r = client.patch("/api/organisations/barnet", body, content_type="application/json", **h)
        print(body, r.status_code, r.content[:150])
    r = client.patch(
        "/api/organisations/barnet",
        b"name=x",
        content_type="application/x-www-form-urlencoded",
        **h,
    )
    print("form", r.status_code, r.content[:150])
    r = client.post(
        "/api/organisations",
        b"name=x&short_name=y&kind=other",
        content_type="application/x-www-form-urlencoded",
        **h,
    )
    print("form post", r.status_code, r.content[:150])
