import { useState } from "react";
import { Campo } from "../../../components/Campo";
import { Dialogo } from "../../../components/Dialogo";
import { useCriarLinkPrestador } from "../../../lib/api/acoes";
import { formatarDataHora } from "../../../lib/format";
import { ErroEnvio, type PropsDialogo } from "./comum";

const VALIDADES: { horas: number; rotulo: string }[] = [
  { horas: 24, rotulo: "1 dia" },
  { horas: 72, rotulo: "3 dias" },
  { horas: 168, rotulo: "7 dias" },
  { horas: 360, rotulo: "15 dias" },
  { horas: 720, rotulo: "30 dias" },
];

/**
 * A link the contractor opens without an account (see the chamado, send photos and
 * documents, mark it done). The API sends it by WhatsApp; its address is shown once.
 */
export function LinkPrestadorDialog({ chamado, onFechar, onEnviado }: PropsDialogo) {
  const criar = useCriarLinkPrestador(chamado.id);
  const [horas, setHoras] = useState(168);
  const [copiado, setCopiado] = useState(false);
  const criado = criar.data;

  function submeter(evento: React.FormEvent) {
    evento.preventDefault();
    if (!criar.isPending) criar.mutate({ validade_horas: horas });
  }

  async function copiar(url: string) {
    try {
      await navigator.clipboard.writeText(url);
      setCopiado(true);
    } catch {
      setCopiado(false);
    }
  }

  if (criado) {
    return (
      <Dialogo key="criado" titulo="Link enviado ao prestador" onFechar={() => onEnviado(criado)}>
        <div className="formulario">
          <p>
            {chamado.terceirizado.nome} recebeu o link pelo WhatsApp. Ele vale até{" "}
            {formatarDataHora(criado.link.expira_em)}.
          </p>
          <Campo rotulo="Endereço do link">
            <input readOnly value={criado.url} onFocus={(e) => e.target.select()} />
          </Campo>
          <div className="modal-acoes">
            <button type="button" className="btn btn-secundario" onClick={() => copiar(criado.url)}>
              {copiado ? "Copiado" : "Copiar link"}
            </button>
            <button
              type="button"
              className="btn btn-primario"
              data-autofocus
              onClick={() => onEnviado(criado)}
            >
              Concluir
            </button>
          </div>
        </div>
      </Dialogo>
    );
  }

  return (
    <Dialogo
      key="pedido"
      titulo="Enviar link ao prestador"
      subtitulo={`${chamado.terceirizado.nome} vê o chamado, envia fotos e documentos e marca como concluído, sem login.`}
      onFechar={onFechar}
    >
      <form className="formulario" onSubmit={submeter}>
        <Campo rotulo="Validade do link">
          <select value={horas} onChange={(e) => setHoras(Number(e.target.value))}>
            {VALIDADES.map((v) => (
              <option key={v.horas} value={v.horas}>
                {v.rotulo}
              </option>
            ))}
          </select>
        </Campo>
        <ErroEnvio erro={criar.error} />
        <div className="modal-acoes">
          <button type="button" className="btn btn-secundario" onClick={onFechar}>
            Cancelar
          </button>
          <button type="submit" className="btn btn-primario" disabled={criar.isPending}>
            {criar.isPending ? "Enviando…" : "Enviar link"}
          </button>
        </div>
      </form>
    </Dialogo>
  );
}
