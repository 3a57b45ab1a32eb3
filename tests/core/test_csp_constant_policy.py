"""The CSP middleware's constant policy (forum.core.security.ConstantPolicyCSPMiddleware)
is django-csp's own header, and a response that used a nonce still gets its nonce."""

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from forum.core.security import ConstantPolicyCSPMiddleware


def respond(middleware_class, use_nonce=False):
    request = RequestFactory().get("/en/")

    def view(request):
        response = HttpResponse("page")
        if use_nonce:
            response.content = str(request.csp_nonce).encode()
        return response

    middleware = middleware_class(view)
    return middleware(request)


@pytest.mark.parametrize("use_nonce", [False, True])
def test_same_header_as_django_csp(use_nonce):
    ours = respond(ConstantPolicyCSPMiddleware, use_nonce)
    theirs = respond(CSPMiddleware, use_nonce)
    assert ours["Content-Security-Policy"]
    if use_nonce:
        assert f"'nonce-{ours.content.decode()}'" in ours["Content-Security-Policy"]
    else:
        assert ours["Content-Security-Policy"] == theirs["Content-Security-Policy"]


def test_follows_changed_settings(settings):
    before = respond(ConstantPolicyCSPMiddleware)["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    after = respond(ConstantPolicyCSPMiddleware)["Content-Security-Policy"]
    assert after == "default-src 'none'" != before
