import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { getSessao, iniciarSessao } from "../../lib/session";
import { usuario } from "../../test/dados";
import { renderRotas, stubFetch } from "../../test/utils";
import { PrestadorPage } from "./PrestadorPage";
import type { ArquivoPrestador, VisaoPrestador } from "./api";

const TOKEN = "eyJ.abc.def";
const CAMINHO = `/api/prestador/${TOKEN}`;

const rotas = [
  { path: "/p/:token", element: <PrestadorPage /> },
  { path: "/login", element: <p>Tela de login</p> },
];

function visao(mudancas: Partial<VisaoPrestador> = {}): VisaoPrestador {
  return {
    numero_chamado: "CH-2026-0042",
    titulo: "Vazamento na copa",
    descricao: "Pia da copa, 3º andar",
    status: "em_andamento",
    prazo_combinado: null,
    atrasado: false,
    prestador: "Carlos Pereira",
    link_expira_em: "2026-06-10T12:00:00Z",
    pode_enviar: true,
    pode_concluir: true,
    arquivos: [],
    ...mudancas,
  };
}

const FOTO: ArquivoPrestador = {
  id: 91,
  nome_arquivo: "pia.png",
  tipo_conteudo: "image",
  mime_type: "image/png",
  tamanho: 2048,
  caption: "Antes do reparo",
  criado_em: "2026-06-03T12:00:00Z",
};

/** An XMLHttpRequest the test answers by hand, to see upload progress. */
class XhrFalso {
  static pedidos: XhrFalso[] = [];
  metodo = "";
  url = "";
  headers: Record<string, string> = {};
  corpo: FormData | null = null;
  status = 0;
  responseText = "";
  upload: {
    onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null;
  } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;

  open(metodo: string, url: string) {
    this.metodo = metodo;
    this.url = url;
  }
  setRequestHeader(nome: string, valor: string) {
    this.headers[nome] = valor;
  }
  send(corpo: FormData) {
    this.corpo = corpo;
    XhrFalso.pedidos.push(this);
  }
  progredir(loaded: number, total: number) {
    act(() => this.upload.onprogress?.({ lengthComputable: true, loaded, total }));
  }
  responder(status: number, corpo: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(corpo);
    act(() => this.onload?.());
  }
}

beforeEach(() => {
  XhrFalso.pedidos = [];
  vi.stubGlobal("XMLHttpRequest", XhrFalso);
});

describe("PrestadorPage", () => {
  it("shows the chamado and the files sent, without the operator's token", async () => {
    iniciarSessao("token-do-operador", usuario, 3600);
    const { chamadas } = stubFetch({ [`GET ${CAMINHO}`]: { body: visao({ arquivos: [FOTO] }) } });

    renderRotas(rotas, `/p/${TOKEN}`);

    expect(await screen.findByRole("heading", { name: "Vazamento na copa" })).toBeInTheDocument();
    expect(screen.getByText("Olá, Carlos!")).toBeInTheDocument();
    expect(screen.getByText(/CH-2026-0042/)).toBeInTheDocument();
    expect(screen.getByText("Pia da copa, 3º andar")).toBeInTheDocument();
    expect(screen.getByText("pia.png")).toBeInTheDocument();
    expect(screen.getByText("Antes do reparo")).toBeInTheDocument();
    expect(chamadas[0]?.headers.Authorization).toBeUndefined();
  });

  it.each([
    [410, "link_expirado", "link expirado: peça um novo link à central", "Este link expirou"],
    [410, "link_revogado", "link revogado: peça um novo link à central", "Este link foi cancelado"],
    [401, "nao_autenticado", "link inválido", "Link inválido"],
  ])(
    "explains a %i %s link without sending anyone to login",
    async (status, error, detail, titulo) => {
      iniciarSessao("token-do-operador", usuario, 3600);
      stubFetch({ [`GET ${CAMINHO}`]: { status, body: { error, detail } } });

      const { router } = renderRotas(rotas, `/p/${TOKEN}`);

      expect(await screen.findByRole("heading", { name: titulo })).toBeInTheDocument();
      expect(router.state.location.pathname).toBe(`/p/${TOKEN}`);
      // A bad link is not the operator's problem: their session stays.
      expect(getSessao()?.token).toBe("token-do-operador");
      expect(screen.queryByText("Marcar como concluído")).not.toBeInTheDocument();
    },
  );

  it("uploads a photo with progress and lists it", async () => {
    stubFetch({ [`GET ${CAMINHO}`]: { body: visao() } });
    renderRotas(rotas, `/p/${TOKEN}`);
    const user = userEvent.setup();
    await screen.findByText("Nenhum arquivo enviado por este link ainda.");

    await user.type(screen.getByLabelText("Legenda (opcional)"), "Antes do reparo");
    const foto = new File(["png"], "pia.png", { type: "image/png" });
    await user.upload(screen.getByLabelText("Escolher fotos ou documentos"), foto);

    await waitFor(() => expect(XhrFalso.pedidos).toHaveLength(1));
    const pedido = XhrFalso.pedidos[0]!;
    expect(pedido.metodo).toBe("POST");
    expect(pedido.url).toBe(`${CAMINHO}/arquivos`);
    expect(pedido.headers.Authorization).toBeUndefined();
    expect(pedido.corpo?.get("arquivo")).toBe(foto);
    expect(pedido.corpo?.get("caption")).toBe("Antes do reparo");
    pedido.progredir(40, 100);
    expect(screen.getByText("40%")).toBeInTheDocument();
    expect(screen.getByLabelText("Enviando pia.png")).toHaveValue(40);

    pedido.responder(201, FOTO);

    expect(await screen.findByText("Enviado")).toBeInTheDocument();
    const enviados = screen.getByRole("region", { name: "Arquivos enviados" });
    expect(within(enviados).getByText("pia.png")).toBeInTheDocument();
    expect(
      screen.queryByText("Nenhum arquivo enviado por este link ainda."),
    ).not.toBeInTheDocument();
  });

  it("shows the API's reason when a file is refused", async () => {
    stubFetch({ [`GET ${CAMINHO}`]: { body: visao() } });
    renderRotas(rotas, `/p/${TOKEN}`);
    const user = userEvent.setup();
    await screen.findByText("Nenhum arquivo enviado por este link ainda.");

    await user.upload(
      screen.getByLabelText("Escolher fotos ou documentos"),
      new File(["MZ"], "foto.png", { type: "image/png" }),
    );
    await waitFor(() => expect(XhrFalso.pedidos).toHaveLength(1));
    XhrFalso.pedidos[0]!.responder(422, {
      error: "arquivo_invalido",
      detail: "tipo de arquivo não aceito (o nome diz .png, mas o conteúdo é x-msdownload)",
    });

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Não enviado: tipo de arquivo não aceito (o nome diz .png",
    );
    expect(screen.getByText("Nenhum arquivo enviado por este link ainda.")).toBeInTheDocument();
  });

  it("marks the work done after a confirmation", async () => {
    const { chamadas } = stubFetch({
      [`GET ${CAMINHO}`]: { body: visao() },
      [`POST ${CAMINHO}/concluir`]: {
        body: visao({ status: "aguardando_confirmacao", pode_concluir: false }),
      },
    });
    renderRotas(rotas, `/p/${TOKEN}`);
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText("Observação (opcional)"), "Troquei o sifão");
    await user.click(screen.getByRole("button", { name: "Marcar como concluído" }));
    const dialogo = screen.getByRole("alertdialog", { name: "Marcar como concluído?" });
    expect(dialogo).toHaveTextContent("CH-2026-0042");
    expect(chamadas.filter((c) => c.metodo === "POST")).toHaveLength(0);
    await user.click(within(dialogo).getByRole("button", { name: "Sim, concluí" }));

    expect(await screen.findByText(/Você marcou o serviço como concluído/)).toBeInTheDocument();
    const post = chamadas.find((c) => c.metodo === "POST");
    expect(post?.corpo).toEqual({ observacao: "Troquei o sifão" });
    expect(post?.headers.Authorization).toBeUndefined();
    expect(screen.queryByRole("button", { name: "Marcar como concluído" })).not.toBeInTheDocument();
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
  });

  it("keeps the dialog open with the API's message when done is refused", async () => {
    stubFetch({
      [`GET ${CAMINHO}`]: { body: visao() },
      [`POST ${CAMINHO}/concluir`]: {
        status: 409,
        body: { error: "conflito", detail: "o chamado CH-2026-0042 está cancelado" },
      },
    });
    renderRotas(rotas, `/p/${TOKEN}`);
    const user = userEvent.setup();

    await user.click(await screen.findByRole("button", { name: "Marcar como concluído" }));
    await user.click(screen.getByRole("button", { name: "Sim, concluí" }));

    const dialogo = screen.getByRole("alertdialog");
    expect(await within(dialogo).findByRole("alert")).toHaveTextContent("está cancelado");
  });

  it("only shows a closed chamado", async () => {
    stubFetch({
      [`GET ${CAMINHO}`]: {
        body: visao({
          status: "concluido",
          pode_enviar: false,
          pode_concluir: false,
          arquivos: [FOTO],
        }),
      },
    });
    renderRotas(rotas, `/p/${TOKEN}`);

    expect(await screen.findByText(/Chamado concluído/)).toBeInTheDocument();
    expect(screen.getByText("pia.png")).toBeInTheDocument();
    expect(screen.queryByLabelText("Escolher fotos ou documentos")).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Marcar como concluído" })).not.toBeInTheDocument();
  });
});
