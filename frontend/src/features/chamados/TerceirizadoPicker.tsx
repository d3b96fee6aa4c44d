import { useEffect, useId, useState } from "react";
import { useTerceirizado, useTerceirizados } from "../../lib/api/terceirizados";
import { formatarTelefone } from "../../lib/format";

interface Props {
  valor: number | null;
  onMudar: (id: number | null) => void;
  rotulo: string;
  erro?: string | undefined;
  /** Only active contractors (new chamados); false lists everyone (filters). */
  somenteAtivos?: boolean;
  textoLimpar?: string;
}

/** Search contractors by name, company or phone and pick one. */
export function TerceirizadoPicker({
  valor,
  onMudar,
  rotulo,
  erro,
  somenteAtivos = true,
  textoLimpar = "Trocar",
}: Props) {
  const id = useId();
  const [texto, setTexto] = useState("");
  const [busca, setBusca] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setBusca(texto.trim()), 250);
    return () => clearTimeout(t);
  }, [texto]);

  const selecionado = useTerceirizado(valor ?? 0);
  const filtros = {
    limit: 8,
    ...(busca ? { busca } : {}),
    ...(somenteAtivos ? { ativo: true } : {}),
  };
  const resultados = useTerceirizados(filtros, valor === null);
  const itens = resultados.data?.pages[0]?.items ?? [];

  if (valor !== null) {
    const t = selecionado.data;
    return (
      <div className="campo">
        <span className="rotulo">{rotulo}</span>
        <div className="picker-selecionado">
          <span>
            {t ? (
              <>
                <strong>{t.nome}</strong>
                {t.empresa ? ` · ${t.empresa}` : ""}
                <span className="texto-suave"> · {formatarTelefone(t.telefone)}</span>
              </>
            ) : selecionado.isError ? (
              "Terceirizado não encontrado"
            ) : (
              "Carregando…"
            )}
          </span>
          <button
            type="button"
            className="btn btn-fantasma btn-pequeno"
            onClick={() => onMudar(null)}
          >
            {textoLimpar}
          </button>
        </div>
        {erro ? <small className="campo-erro">{erro}</small> : null}
      </div>
    );
  }

  return (
    <div className={`campo picker${erro ? " campo-com-erro" : ""}`}>
      <label htmlFor={id}>{rotulo}</label>
      <input
        id={id}
        type="search"
        placeholder="Buscar por nome, empresa ou telefone"
        value={texto}
        onChange={(e) => setTexto(e.target.value)}
        aria-invalid={erro ? true : undefined}
        aria-describedby={erro ? `${id}-erro` : undefined}
        autoComplete="off"
      />
      <ul className="picker-opcoes" aria-label="Terceirizados encontrados">
        {resultados.isPending ? <li className="texto-suave">Buscando…</li> : null}
        {resultados.isError ? (
          <li className="campo-erro">Não foi possível buscar terceirizados.</li>
        ) : null}
        {resultados.data && itens.length === 0 ? (
          <li className="texto-suave">
            Nenhum terceirizado{somenteAtivos ? " ativo" : ""} encontrado.
          </li>
        ) : null}
        {itens.map((t) => (
          <li key={t.id}>
            <button type="button" className="picker-opcao" onClick={() => onMudar(t.id)}>
              <strong>{t.nome}</strong>
              {t.empresa ? ` · ${t.empresa}` : ""}
              <span className="texto-suave"> · {formatarTelefone(t.telefone)}</span>
            </button>
          </li>
        ))}
      </ul>
      {erro ? (
        <small id={`${id}-erro`} className="campo-erro">
          {erro}
        </small>
      ) : null}
    </div>
  );
}
