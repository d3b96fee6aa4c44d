import { useParams } from "react-router";
import { Chat } from "./Chat";
import { FaixaBreaker } from "./FaixaBreaker";
import { ListaConversas } from "./ListaConversas";
import "./central.css";

/** WhatsApp-Web-like: conversations on the left, the open chat on the right. */
export function CentralPage() {
  const { id } = useParams();
  const chamadoId = id ? Number(id) : null;
  const valido = chamadoId !== null && Number.isInteger(chamadoId) && chamadoId > 0;
  return (
    <div className={`central${chamadoId !== null ? " central-com-chat" : ""}`}>
      <ListaConversas />
      {valido ? (
        <Chat key={chamadoId} chamadoId={chamadoId} />
      ) : (
        <section className="chat-placeholder" aria-label="Conversa">
          <FaixaBreaker />
          {chamadoId !== null ? (
            <p>Conversa inválida.</p>
          ) : (
            <>
              <p className="chat-placeholder-titulo">GMM Central de Mensagens</p>
              <p>Selecione uma conversa para ver as mensagens e responder ao terceirizado.</p>
            </>
          )}
        </section>
      )}
    </div>
  );
}
