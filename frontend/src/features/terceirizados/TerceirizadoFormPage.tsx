import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { Campo } from "../../components/Campo";
import { Carregando, ErroBox } from "../../components/Feedback";
import {
  useAtualizarTerceirizado,
  useCriarTerceirizado,
  useTerceirizado,
} from "../../lib/api/terceirizados";
import { formatarTelefoneNacional, formatarTelefonesNoTexto } from "../../lib/format";
import { ApiError, mensagemDeErro } from "../../lib/http";
import type { Terceirizado, TerceirizadoCreate } from "../../lib/types";

interface Valores {
  nome: string;
  telefone: string;
  empresa: string;
  email: string;
  especialidade: string;
}

const CAMPOS: (keyof Valores)[] = ["nome", "telefone", "empresa", "email", "especialidade"];

function valoresDe(t?: Terceirizado): Valores {
  return {
    nome: t?.nome ?? "",
    // The API keeps digits only; the field shows them as typed (the API reads both).
    telefone: t ? formatarTelefoneNacional(t.telefone) : "",
    empresa: t?.empresa ?? "",
    email: t?.email ?? "",
    especialidade: t?.especialidade ?? "",
  };
}

function paraApi(v: Valores): TerceirizadoCreate {
  return {
    nome: v.nome.trim(),
    telefone: v.telefone.trim(),
    empresa: v.empresa.trim() || null,
    email: v.email.trim() || null,
    especialidade: v.especialidade.trim() || null,
  };
}

interface FormProps {
  inicial: Valores;
  enviando: boolean;
  erroApi: unknown;
  rotuloEnviar: string;
  onEnviar: (v: Valores) => void;
}

/** Contractor form; the phone rules live in the API, whose message shows under the field. */
export function TerceirizadoForm({
  inicial,
  enviando,
  erroApi,
  rotuloEnviar,
  onEnviar,
}: FormProps) {
  const [v, setV] = useState(inicial);
  const [erros, setErros] = useState<Partial<Record<keyof Valores, string>>>({});
  const navigate = useNavigate();
  // The API's messages name numbers as stored ("5511912345678"): shown as typed.
  const daApi = Object.fromEntries(
    Object.entries(erroApi instanceof ApiError ? erroApi.campos : {}).map(([campo, msg]) => [
      campo,
      formatarTelefonesNoTexto(msg),
    ]),
  );
  const campos: Record<string, string | undefined> = { ...daApi, ...erros };
  const erroGeral =
    erroApi && !(erroApi instanceof ApiError && CAMPOS.some((c) => c in erroApi.campos))
      ? formatarTelefonesNoTexto(mensagemDeErro(erroApi))
      : null;

  function mudar(campo: keyof Valores, valor: string) {
    setV((atual) => ({ ...atual, [campo]: valor }));
    setErros((atual) => ({ ...atual, [campo]: undefined }));
  }

  function enviar(evento: React.FormEvent) {
    evento.preventDefault();
    const encontrados: Partial<Record<keyof Valores, string>> = {};
    if (!v.nome.trim()) encontrados.nome = "Informe o nome.";
    if (!v.telefone.trim()) encontrados.telefone = "Informe o telefone com DDD.";
    setErros(encontrados);
    if (Object.keys(encontrados).length === 0) onEnviar(v);
  }

  return (
    <form className="formulario" onSubmit={enviar} noValidate>
      <Campo rotulo="Nome" erro={campos.nome}>
        <input
          value={v.nome}
          maxLength={120}
          onChange={(e) => mudar("nome", e.target.value)}
          required
        />
      </Campo>
      <Campo
        rotulo="Telefone (WhatsApp)"
        erro={campos.telefone}
        ajuda="Com DDD, por exemplo (11) 98765-4321."
      >
        <input
          type="tel"
          inputMode="tel"
          value={v.telefone}
          maxLength={32}
          onChange={(e) => mudar("telefone", e.target.value)}
          required
        />
      </Campo>
      <div className="formulario-linha">
        <Campo rotulo="Empresa" erro={campos.empresa}>
          <input
            value={v.empresa}
            maxLength={120}
            onChange={(e) => mudar("empresa", e.target.value)}
          />
        </Campo>
        <Campo rotulo="Especialidade" erro={campos.especialidade}>
          <input
            value={v.especialidade}
            maxLength={120}
            onChange={(e) => mudar("especialidade", e.target.value)}
          />
        </Campo>
      </div>
      <Campo rotulo="E-mail" erro={campos.email}>
        <input type="email" value={v.email} onChange={(e) => mudar("email", e.target.value)} />
      </Campo>
      {erroGeral ? (
        <p className="erro-box" role="alert">
          {erroGeral}
        </p>
      ) : null}
      <div className="formulario-acoes">
        <button
          type="button"
          className="btn btn-secundario"
          onClick={() => navigate("/terceirizados")}
        >
          Voltar
        </button>
        <button type="submit" className="btn btn-primario" disabled={enviando}>
          {enviando ? "Salvando…" : rotuloEnviar}
        </button>
      </div>
    </form>
  );
}

export function NovoTerceirizadoPage() {
  const criar = useCriarTerceirizado();
  const navigate = useNavigate();
  return (
    <div className="pagina pagina-estreita">
      <p className="migalha">
        <Link to="/terceirizados">Terceirizados</Link> / Novo
      </p>
      <h1>Novo terceirizado</h1>
      <TerceirizadoForm
        inicial={valoresDe()}
        enviando={criar.isPending}
        erroApi={criar.error}
        rotuloEnviar="Cadastrar"
        onEnviar={(v) =>
          !criar.isPending &&
          criar.mutate(paraApi(v), { onSuccess: () => void navigate("/terceirizados") })
        }
      />
    </div>
  );
}

export function EditarTerceirizadoPage() {
  const { id } = useParams();
  const terceirizadoId = Number(id);
  const terceirizado = useTerceirizado(terceirizadoId);
  const atualizar = useAtualizarTerceirizado(terceirizadoId);
  const navigate = useNavigate();

  let corpo: React.ReactNode;
  if (terceirizado.isPending) corpo = <Carregando />;
  else if (terceirizado.isError)
    corpo = <ErroBox erro={terceirizado.error} tentarDeNovo={() => terceirizado.refetch()} />;
  else {
    const t = terceirizado.data;
    corpo = (
      <>
        {!t.ativo ? (
          <p className="aviso">
            Este terceirizado está inativo. Reative-o na lista para novos chamados.
          </p>
        ) : null}
        <TerceirizadoForm
          key={t.id}
          inicial={valoresDe(t)}
          enviando={atualizar.isPending}
          erroApi={atualizar.error}
          rotuloEnviar="Salvar alterações"
          onEnviar={(v) => {
            const original = valoresDe(t);
            const novo = paraApi(v);
            const dados = Object.fromEntries(
              CAMPOS.filter((c) => v[c].trim() !== original[c]).map((c) => [c, novo[c]]),
            );
            if (Object.keys(dados).length === 0) void navigate("/terceirizados");
            else atualizar.mutate(dados, { onSuccess: () => void navigate("/terceirizados") });
          }}
        />
      </>
    );
  }
  return (
    <div className="pagina pagina-estreita">
      <p className="migalha">
        <Link to="/terceirizados">Terceirizados</Link> / Editar
      </p>
      <h1>{terceirizado.data ? terceirizado.data.nome : "Editar terceirizado"}</h1>
      {corpo}
    </div>
  );
}
