"""The printable transcript of a chamado (ReportLab platypus): its data, the whole
conversation as the operators saw it, and its history.

Drawn from plain data (``Transcricao``, read by the service beforehand) and with no
session, so the endpoint runs it in a thread: ReportLab is CPU-bound and a long
conversation would otherwise hold the event loop.

Fonts: DejaVu Sans (Debian's fonts-dejavu-core) is embedded when present, so every
accent, the ticks (✓✓) and the quote arrow (↪) print as on the screen; without it
the PDF falls back to Helvetica, which covers Portuguese (Latin-1) but not the
symbols, and the labels ("lida", "em resposta a") carry the meaning alone. Any
character the font lacks (an emoji, mostly) prints as its Unicode name.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cache
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

from PIL import Image as PILImage
from PIL import ImageOps
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from gmm.chamados.schemas import ChamadoOut, HistoricoOut
from gmm.conversas.conteudo import ConteudoBotoes, ConteudoLista, ConteudoResposta
from gmm.conversas.models import Direcao, StatusEnvio, TipoConteudo
from gmm.conversas.schemas import MensagemOut
from gmm.relatorios import textos


@dataclass(frozen=True)
class MensagemTranscrita:
    momento: datetime  # when it happened in the conversation (its place in the order)
    mensagem: MensagemOut
    imagem: Path | None  # a photo's stored file, printed as a thumbnail


@dataclass(frozen=True)
class LinhaHistorico:
    historico: HistoricoOut
    usuario: str | None  # the operator's name, for what an operator did


@dataclass(frozen=True)
class Transcricao:
    chamado: ChamadoOut
    prazo: datetime | None  # the one that counts: the agreed one, else the SLA's
    mensagens: list[MensagemTranscrita]
    historico: list[LinhaHistorico]


# -- fonts -------------------------------------------------------------------------------

PASTA_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
# fonts-dejavu-core has the regular and bold faces; the oblique one (for the notes
# under a message) comes with fonts-dejavu-extra, and the regular face stands in.
_DEJAVU = {"GMMSans": "DejaVuSans.ttf", "GMMSans-Bold": "DejaVuSans-Bold.ttf"}
_DEJAVU_OBLIQUA = ("GMMSans-Oblique", "DejaVuSans-Oblique.ttf")


@dataclass(frozen=True)
class _Fonte:
    normal: str
    negrito: str
    italico: str
    tem: Callable[[str], bool]  # whether a character has a glyph

    @property
    def simbolos(self) -> bool:
        return all(map(self.tem, "✓↪→"))


def _latin1(caractere: str) -> bool:
    # The standard PDF fonts are drawn in WinAnsiEncoding (cp1252).
    try:
        caractere.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


@cache
def fonte() -> _Fonte:
    """DejaVu Sans, registered once per process, or Helvetica when it is missing."""
    arquivos = dict(_DEJAVU)
    if (PASTA_DEJAVU / _DEJAVU_OBLIQUA[1]).is_file():
        arquivos[_DEJAVU_OBLIQUA[0]] = _DEJAVU_OBLIQUA[1]
    if all((PASTA_DEJAVU / arquivo).is_file() for arquivo in _DEJAVU.values()):
        try:
            fontes = {nome: TTFont(nome, str(PASTA_DEJAVU / a)) for nome, a in arquivos.items()}
        except (OSError, TTFError):
            pass
        else:
            for ttf in fontes.values():
                pdfmetrics.registerFont(ttf)
            italico = _DEJAVU_OBLIQUA[0] if _DEJAVU_OBLIQUA[0] in fontes else "GMMSans"
            pdfmetrics.registerFontFamily(
                "GMMSans",
                normal="GMMSans",
                bold="GMMSans-Bold",
                italic=italico,
                boldItalic="GMMSans-Bold",
            )
            glifos = frozenset(fontes["GMMSans"].face.charToGlyph)
            return _Fonte("GMMSans", "GMMSans-Bold", italico, lambda c: ord(c) in glifos)
    return _Fonte("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", _latin1)


def _marcacao(texto: str, tem: Callable[[str], bool]) -> str:
    """``texto`` as Paragraph markup: escaped, line breaks kept, and each character the
    font cannot draw spelled out by its Unicode name (marks and joiners dropped)."""
    partes: list[str] = []
    for caractere in unicodedata.normalize("NFC", texto):
        if caractere == "\n":
            partes.append("<br/>")
        elif caractere in "\t\r":
            partes.append(" ")
        elif "\ufe00" <= caractere <= "\ufe0f":
            continue  # emoji vs text presentation: nothing to print
        elif tem(caractere):
            partes.append(escape(caractere))
        elif unicodedata.category(caractere) in ("Mn", "Me", "Cf", "Cc", "Cs", "Co", "Cn"):
            continue
        else:
            nome = unicodedata.name(caractere, "").lower()
            partes.append(f"[{escape(nome)}]" if nome else "?")
    return "".join(partes)


# -- thumbnails --------------------------------------------------------------------------

LARGURA_MINIATURA = 6 * cm
ALTURA_MINIATURA = 8 * cm
# Pixels kept on the longest side: about 190 dpi at 8 cm, sharp on paper, small in
# the file (a phone photo is shrunk before it goes in, never embedded whole).
PIXELS_MINIATURA = 600


def _miniatura(caminho: Path, alinhamento: Literal["LEFT", "RIGHT"]) -> Image | None:
    """The photo shrunk to fit 6 × 8 cm, as JPEG; None when it cannot be read."""
    try:
        with PILImage.open(caminho) as original:
            original.draft("RGB", (PIXELS_MINIATURA, PIXELS_MINIATURA))
            foto = ImageOps.exif_transpose(original)
            foto.thumbnail((PIXELS_MINIATURA, PIXELS_MINIATURA))
            if foto.mode not in ("RGB", "L"):
                rgba = foto.convert("RGBA")
                foto = PILImage.new("RGB", rgba.size, "white")
                foto.paste(rgba, mask=rgba.getchannel("A"))
            saida = io.BytesIO()
            foto.save(saida, "JPEG", quality=80)
    except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError):
        return None
    largura, altura = foto.size
    escala = min(LARGURA_MINIATURA / largura, ALTURA_MINIATURA / altura, 1.0)
    saida.seek(0)
    imagem = Image(saida, width=largura * escala, height=altura * escala)
    imagem.hAlign = alinhamento
    return imagem


# -- the document ------------------------------------------------------------------------

_MARGEM = 1.8 * cm
_RECUO = 2.5 * cm  # how far a message sits from the other side's edge
_COR_OPERADOR = colors.HexColor("#1d4e89")
_COR_TERCEIRIZADO = colors.HexColor("#2e6b30")
_CINZA = colors.HexColor("#555555")
_MIDIA = {
    TipoConteudo.image: "Foto",
    TipoConteudo.audio: "Áudio",
    TipoConteudo.video: "Vídeo",
    TipoConteudo.document: "Documento",
}
_TRECHO_CITADO = 90


class _Documento:
    """One transcript being drawn: its fonts, styles and time zone."""

    def __init__(self, dados: Transcricao, fuso: tzinfo) -> None:
        self.dados = dados
        self.fuso = fuso
        self.fonte = fonte()
        f = self.fonte
        base = ParagraphStyle("base", fontName=f.normal, fontSize=9.5, leading=12.5)
        self.titulo = ParagraphStyle("titulo", base, fontName=f.negrito, fontSize=15, leading=19)
        self.secao = ParagraphStyle(
            "secao",
            base,
            fontName=f.negrito,
            fontSize=12,
            leading=15,
            spaceBefore=12,
            spaceAfter=6,
            keepWithNext=1,  # never a heading alone at the foot of a page
        )
        self.rotulo = ParagraphStyle("rotulo", base, fontName=f.negrito, textColor=_CINZA)
        self.valor = base
        self.nossa = ParagraphStyle("nossa", base, leftIndent=_RECUO)
        self.dele = ParagraphStyle("dele", base, rightIndent=_RECUO)
        self.nota_nossa = ParagraphStyle(
            "nota_nossa",
            self.nossa,
            fontName=f.italico,
            fontSize=8.5,
            leading=11,
            textColor=_CINZA,
        )
        self.nota_dele = ParagraphStyle(
            "nota_dele", self.nota_nossa, leftIndent=0, rightIndent=_RECUO
        )
        self.historico = ParagraphStyle("historico", base, leftIndent=12, firstLineIndent=-12)

    def texto(self, valor: str) -> str:
        return _marcacao(valor, self.fonte.tem)

    def quando(self, momento: datetime | None) -> str:
        return textos.data_hora(momento, self.fuso)

    # -- header --------------------------------------------------------------------------

    def secao_chamado(self) -> list[Flowable]:
        c = self.dados.chamado
        t = c.terceirizado
        status = textos.STATUS[c.status] + (" (atrasado)" if c.atrasado else "")
        prazo = self.dados.prazo
        campos: list[tuple[str, str]] = [
            ("Número", c.numero_chamado),
            ("Título", c.titulo),
            ("Local", c.local or "—"),
            ("Status", status),
            ("Prioridade", textos.PRIORIDADE[c.prioridade]),
            ("Terceirizado", t.nome + (f" ({t.empresa})" if t.empresa else "")),
            ("Telefone", textos.telefone(t.telefone)),
            ("Criado em", self.quando(c.criado_em)),
            ("Prazo", self.quando(prazo) if prazo else "a combinar"),
            ("Finalizado em", self.quando(c.finalizado_em)),
        ]
        if c.valor_orcamento is not None:
            valor = f"{c.valor_orcamento:,.2f}".translate(str.maketrans(",.", ".,"))
            campos.append(("Valor do orçamento", f"R$ {valor}"))
        if c.descricao:
            campos.append(("Descrição", c.descricao))
        tabela = Table(
            [
                [Paragraph(self.texto(rotulo), self.rotulo), Paragraph(self.texto(v), self.valor)]
                for rotulo, v in campos
            ],
            colWidths=[4 * cm, None],
            hAlign="LEFT",
        )
        tabela.setStyle(
            TableStyle(
                [
                    # The cells hold paragraphs; this only keeps Helvetica out of the file.
                    ("FONT", (0, 0), (-1, -1), self.fonte.normal),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#dddddd")),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("LEFTPADDING", (0, 0), (0, -1), 0),
                ]
            )
        )
        return [
            Paragraph(self.texto(f"Transcrição do chamado {c.numero_chamado}"), self.titulo),
            Spacer(1, 8),
            tabela,
        ]

    # -- messages ------------------------------------------------------------------------

    def secao_conversa(self) -> list[Flowable]:
        mensagens = self.dados.mensagens
        titulo = f"Conversa ({len(mensagens)} mensage{'m' if len(mensagens) == 1 else 'ns'})"
        flowables: list[Flowable] = [Paragraph(self.texto(titulo), self.secao)]
        if not mensagens:
            flowables.append(Paragraph("Nenhuma mensagem.", self.valor))
        for item in mensagens:
            flowables.append(self.mensagem(item))
            flowables.append(Spacer(1, 6))
        return flowables

    def _quem(self, m: MensagemOut) -> str:
        if m.direcao == Direcao.inbound:
            return self.dados.chamado.terceirizado.nome
        tipo = textos.TIPO.get(m.tipo)
        return f"Operador ({tipo})" if tipo else "Operador"

    def _entrega(self, m: MensagemOut) -> str:
        rotulo = textos.ENTREGA[m.status_envio]
        tiques = textos.TIQUES.get(m.status_envio)
        return f"{tiques} {rotulo}" if tiques and self.fonte.simbolos else rotulo

    def _corpo(self, m: MensagemOut) -> str | None:
        """What the message says: its text, or for a file its kind, name and caption."""
        conteudo = m.conteudo
        if m.tipo_conteudo in _MIDIA:
            nome = getattr(conteudo, "nome_arquivo", None)
            rotulo = _MIDIA[m.tipo_conteudo] + (f": {nome}" if nome else "")
            legenda = m.caption or m.texto
            return f"[{rotulo}]" + (f" {legenda}" if legenda else "")
        if isinstance(conteudo, ConteudoBotoes | ConteudoLista):
            opcoes = " | ".join(opcao.titulo for opcao in conteudo.opcoes())
            return f"{m.texto or ''}\nOpções: {opcoes}".strip()
        if isinstance(conteudo, ConteudoResposta) and not m.texto:
            return f"Tocou em: {conteudo.resposta.titulo}"
        return m.texto

    def mensagem(self, item: MensagemTranscrita) -> Flowable:
        m = item.mensagem
        nossa = m.direcao == Direcao.outbound
        estilo, nota = (self.nossa, self.nota_nossa) if nossa else (self.dele, self.nota_dele)
        cor = (_COR_OPERADOR if nossa else _COR_TERCEIRIZADO).hexval()[2:]
        cabeca = f"{self.quando(item.momento)} · {self._quem(m)}"
        if nossa:
            cabeca += f" · {self._entrega(m)}"
        partes: list[Flowable] = [
            Paragraph(f'<font color="#{cor}"><b>{self.texto(cabeca)}</b></font>', estilo)
        ]
        if m.citada is not None:
            seta = "↪" if self.fonte.simbolos else "»"
            trecho = " ".join((m.citada.texto or "").split())
            if len(trecho) > _TRECHO_CITADO:
                trecho = trecho[: _TRECHO_CITADO - 1] + "…"
            if m.citada.apagada:
                trecho += " (apagada)"
            partes.append(Paragraph(self.texto(f"{seta} em resposta a: {trecho}"), nota))
        corpo = self._corpo(m)
        if corpo:
            partes.append(Paragraph(self.texto(corpo), estilo))
        if item.imagem is not None:
            miniatura = _miniatura(item.imagem, "RIGHT" if nossa else "LEFT")
            partes.append(miniatura or Paragraph("[foto ilegível]", nota))
        elif m.tipo_conteudo == TipoConteudo.image:
            partes.append(Paragraph("[foto não guardada]", nota))
        if m.transcricao:
            partes.append(Paragraph(self.texto(f"Transcrição do áudio: {m.transcricao}"), nota))
        if m.editada_em is not None:
            original = m.texto_original or ""
            partes.append(
                Paragraph(
                    self.texto(f"editada em {self.quando(m.editada_em)}; original: {original}"),
                    nota,
                )
            )
        if m.apagada_em is not None:
            partes.append(
                Paragraph(
                    self.texto(f"apagada pelo terceirizado em {self.quando(m.apagada_em)}"), nota
                )
            )
        if m.reacao:
            partes.append(Paragraph(self.texto(f"Reação do terceirizado: {m.reacao}"), nota))
        if m.status_envio == StatusEnvio.falhou and m.erro:
            partes.append(Paragraph(self.texto(f"Falha no envio: {m.erro}"), nota))
        return KeepTogether(partes)

    # -- history -------------------------------------------------------------------------

    def secao_historico(self) -> list[Flowable]:
        flowables: list[Flowable] = [Paragraph("Histórico do chamado", self.secao)]
        if not self.dados.historico:
            flowables.append(Paragraph("Nenhum registro.", self.valor))
        for linha in self.dados.historico:
            h = linha.historico
            origem = textos.ORIGEM[h.origem]
            if linha.usuario:
                origem += f" ({linha.usuario})"
            texto = f"{self.quando(h.criado_em)} · {origem} · {h.descricao}"
            if h.status_novo is not None and h.status_novo != h.status_anterior:
                seta = "→" if self.fonte.simbolos else "->"
                de = f"{textos.STATUS[h.status_anterior]} {seta} " if h.status_anterior else ""
                texto += f" ({de}{textos.STATUS[h.status_novo]})"
            flowables.append(Paragraph(self.texto(texto), self.historico))
        return flowables


def _canvas_com_rodape(esquerda: str, fonte_rodape: str) -> type[Canvas]:
    """A canvas that holds its pages until the end, to print "Página N de M" on each."""

    class CanvasNumerado(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._paginas: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            # ReportLab's own recipe for "page N of M": keep the page, start a new one.
            self._paginas.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]

        def save(self) -> None:
            total = len(self._paginas)
            for numero, estado in enumerate(self._paginas, start=1):
                self.__dict__.update(estado)
                largura, _ = A4
                self.saveState()
                self.setFont(fonte_rodape, 7.5)
                self.setFillColor(_CINZA)
                self.drawString(_MARGEM, 1.1 * cm, esquerda)
                self.drawRightString(largura - _MARGEM, 1.1 * cm, f"Página {numero} de {total}")
                self.restoreState()
                super().showPage()
            super().save()

    return CanvasNumerado


def gerar(dados: Transcricao, *, fuso: tzinfo, gerado_em: datetime) -> bytes:
    """The transcript as PDF bytes (A4); blocking, for a thread."""
    documento = _Documento(dados, fuso)
    numero = dados.chamado.numero_chamado
    saida = io.BytesIO()
    pdf = SimpleDocTemplate(
        saida,
        pagesize=A4,
        leftMargin=_MARGEM,
        rightMargin=_MARGEM,
        topMargin=_MARGEM,
        bottomMargin=_MARGEM,
        title=f"Transcrição do chamado {numero}",
        author="GMM Central de Mensagens",
        subject=dados.chamado.titulo,
        creator="GMM Central de Mensagens",
        # Else every page also names Helvetica, ReportLab's default, unused.
        initialFontName=documento.fonte.normal,
    )
    rodape = (
        f"{numero} · Transcrição gerada em {textos.data_hora(gerado_em, fuso)} "
        "· GMM Central de Mensagens"
    )
    pdf.build(
        [*documento.secao_chamado(), *documento.secao_conversa(), *documento.secao_historico()],
        canvasmaker=_canvas_com_rodape(rodape, documento.fonte.normal),
    )
    return saida.getvalue()
