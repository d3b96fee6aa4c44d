"""Security headers on every answer: the SPA's files, the API, errors and 503s alike.

The SPA is built by Vite with no inline script or style (index.html only loads
hashed files from /assets; React sets styles through the CSSOM, which CSP allows),
so its policy allows nothing but this origin. The interactive docs (/docs, /redoc)
load Swagger UI and ReDoc from jsDelivr with an inline bootstrap script: they get a
policy of their own, and are off in production unless GMM_DOCS_PUBLICAS=true.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    # data: for the inline SVG favicon; blob: for files previewed before upload.
    "img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
CSP_DOCS = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src 'self' https://fonts.gstatic.com; img-src 'self' data: https:; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)
# Two years, subdomains included: what the HSTS preload list asks for.
HSTS = "max-age=63072000; includeSubDomains"
_DOCS = ("/docs", "/redoc")


class CabecalhosSeguranca:
    """Adds the headers an answer does not set itself (an endpoint may be stricter)."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        # Only behind TLS (production): over plain http a browser ignores it anyway,
        # and pinning localhost to https would break development.
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"].startswith(_DOCS)
        cabecalhos = [
            (b"content-security-policy", (CSP_DOCS if docs else CSP).encode()),
            (b"x-frame-options", b"DENY"),
            (b"x-content-type-options", b"nosniff"),
            # The contractor's link carries its token in the path (/p/<token>): no
            # Referer may carry it to any other site.
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if self.hsts:
            cabecalhos.append((b"strict-transport-security", HSTS.encode()))

        async def enviar(mensagem: Message) -> None:
            if mensagem["type"] == "http.response.start":
                existentes = {nome.lower() for nome, _ in mensagem.get("headers", [])}
                mensagem["headers"] = [
                    *mensagem.get("headers", []),
                    *(par for par in cabecalhos if par[0] not in existentes),
                ]
            await send(mensagem)

        await self.app(scope, receive, enviar)
