import { Link, useNavigate } from "react-router";
import { useCriarChamado } from "../../lib/api/chamados";
import { localParaIso } from "../../lib/format";
import type { ChamadoCreate } from "../../lib/types";
import { ChamadoForm, type ValoresChamado, valoresDe } from "./ChamadoForm";
import "./chamados.css";

export function NovoChamadoPage() {
  const criar = useCriarChamado();
  const navigate = useNavigate();

  function enviar(v: ValoresChamado) {
    if (v.terceirizado_id === null || criar.isPending) return;
    const dados: ChamadoCreate = {
      terceirizado_id: v.terceirizado_id,
      titulo: v.titulo.trim(),
      descricao: v.descricao.trim() || null,
      local: v.local.trim() || null,
      prioridade: v.prioridade,
      prazo_combinado: localParaIso(v.prazo),
    };
    criar.mutate(dados, {
      onSuccess: (r) => void navigate(`/chamados/${r.chamado.id}`, { state: { criado: true } }),
    });
  }

  return (
    <div className="pagina pagina-estreita">
      <p className="migalha">
        <Link to="/chamados">Chamados</Link> / Novo
      </p>
      <h1>Novo chamado</h1>
      <p className="texto-suave">
        Ao salvar, o terceirizado recebe pelo WhatsApp a mensagem de abertura do chamado.
      </p>
      <ChamadoForm
        novo
        inicial={valoresDe()}
        enviando={criar.isPending}
        erroApi={criar.error}
        rotuloEnviar="Abrir chamado"
        onEnviar={enviar}
        onCancelar={() => navigate("/chamados")}
      />
    </div>
  );
}
