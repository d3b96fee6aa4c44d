import { useState } from "react";
import { Campo } from "../../components/Campo";
import { Carregando, ErroBox } from "../../components/Feedback";
import { useConfigWhatsApp, useSalvarConfigWhatsApp } from "../../lib/api/admin";
import { formatarDataHora } from "../../lib/format";
import { ApiError, mensagemDeErro } from "../../lib/http";
import type { ConfiguracaoWhatsApp } from "../../lib/types";
import { AdminNav } from "./AdminNav";
import "./admin.css";

const FONTE: Record<ConfiguracaoWhatsApp["fonte"], string> = {
  banco: "salva por um administrador",
  ambiente: "lida das variáveis de ambiente (GMM_MEGAAPI_*)",
  nenhuma: "nenhuma: as mensagens não saem até que seja configurada",
};

const TOKEN_MINIMO = 8;

function Formulario({ config }: { config: ConfiguracaoWhatsApp }) {
  const salvar = useSalvarConfigWhatsApp();
  const [baseUrl, setBaseUrl] = useState(config.base_url ?? "");
  const [instancia, setInstancia] = useState(config.instance_key ?? "");
  const [token, setToken] = useState("");
  const [erros, setErros] = useState<Record<string, string>>({});
  const [salvo, setSalvo] = useState(false);
  const api = salvar.error instanceof ApiError ? salvar.error.campos : {};
  // Only a token saved here can be kept by leaving the field blank.
  const semToken = config.fonte !== "banco";

  function validar(): Record<string, string> {
    const e: Record<string, string> = {};
    try {
      const url = new URL(baseUrl.trim());
      if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error();
    } catch {
      e.base_url = "Informe o endereço completo, como https://apistart01.megaapi.com.br.";
    }
    if (!instancia.trim()) e.instance_key = "Informe a chave da instância.";
    if (token && token.trim().length < TOKEN_MINIMO) {
      e.token = `O token tem ao menos ${TOKEN_MINIMO} caracteres.`;
    }
    if (!token && semToken) e.token = "Informe o token: ainda não há um salvo aqui.";
    return e;
  }

  function submeter(evento: React.FormEvent) {
    evento.preventDefault();
    if (salvar.isPending) return;
    const e = validar();
    setErros(e);
    setSalvo(false);
    if (Object.keys(e).length > 0) return;
    salvar.mutate(
      {
        base_url: baseUrl.trim(),
        instance_key: instancia.trim(),
        // Blank keeps the saved token: it is never read back.
        ...(token.trim() ? { token: token.trim() } : {}),
      },
      {
        onSuccess: () => {
          setToken("");
          setSalvo(true);
        },
      },
    );
  }

  return (
    <form className="formulario cartao" onSubmit={submeter} noValidate>
      <Campo rotulo="URL base da MegaAPI" erro={erros.base_url ?? api.base_url}>
        <input
          type="url"
          inputMode="url"
          placeholder="https://apistart01.megaapi.com.br"
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.target.value)}
        />
      </Campo>
      <Campo rotulo="Chave da instância" erro={erros.instance_key ?? api.instance_key}>
        <input
          autoComplete="off"
          value={instancia}
          onChange={(e) => setInstancia(e.target.value)}
        />
      </Campo>
      <Campo
        rotulo="Token"
        erro={erros.token ?? api.token}
        ajuda={
          semToken
            ? "Obrigatório na primeira configuração salva aqui."
            : "O token salvo nunca é mostrado. Deixe em branco para mantê-lo; digite outro para trocar."
        }
      >
        <input
          type="password"
          autoComplete="new-password"
          placeholder={config.token_mascarado ?? ""}
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
      </Campo>
      {salvar.error && Object.keys(api).length === 0 ? (
        <p className="erro-box" role="alert">
          {mensagemDeErro(salvar.error)}
        </p>
      ) : null}
      {salvo ? (
        <p className="aviso aviso-sucesso" role="status">
          Configuração salva. Vale a partir do próximo envio.
        </p>
      ) : null}
      <div className="formulario-acoes">
        <button type="submit" className="btn btn-primario" disabled={salvar.isPending}>
          {salvar.isPending ? "Salvando…" : "Salvar"}
        </button>
      </div>
    </form>
  );
}

/** The MegaAPI credentials; the token is write-only (the API shows its last 4 characters). */
export function ConfigWhatsAppPage() {
  const config = useConfigWhatsApp();
  return (
    <div className="pagina pagina-media">
      <AdminNav />
      <div className="pagina-topo">
        <h1>Configuração MegaAPI</h1>
      </div>
      {config.isPending ? <Carregando /> : null}
      {config.isError ? (
        <ErroBox erro={config.error} tentarDeNovo={() => config.refetch()} />
      ) : null}
      {config.data ? (
        <>
          <p className="texto-suave pagina-intro">
            Configuração em uso: {FONTE[config.data.fonte]}
            {config.data.atualizado_em
              ? ` · atualizada em ${formatarDataHora(config.data.atualizado_em)}`
              : ""}
            .
          </p>
          <Formulario config={config.data} />
        </>
      ) : null}
    </div>
  );
}
