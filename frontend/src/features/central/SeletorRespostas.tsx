import { Link } from "react-router";
import type { RespostaRapida } from "../../lib/types";

/** Case and accents do not matter to the filter: "/CONFIRMACAO" finds "Confirmação". */
export function semAcento(texto: string): string {
  return texto
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();
}

/** The quick replies whose title holds what follows the "/". */
export function filtrarRespostas(respostas: RespostaRapida[], busca: string): RespostaRapida[] {
  const termo = semAcento(busca.trim());
  return respostas.filter((r) => semAcento(r.titulo).includes(termo));
}

interface Props {
  respostas: RespostaRapida[];
  ativa: number;
  onEscolher: (resposta: RespostaRapida) => void;
}

/**
 * The list that opens over the composer when the text starts with "/": arrows move,
 * Enter or a click picks, Esc closes (the keys are the composer's: the focus stays
 * in the text box, as in a combobox).
 */
export function SeletorRespostas({ respostas, ativa, onEscolher }: Props) {
  return (
    <ul
      id="respostas-rapidas"
      role="listbox"
      aria-label="Respostas rápidas"
      className="seletor-respostas"
    >
      {respostas.length === 0 ? (
        <li className="seletor-respostas-vazio">Nenhuma resposta rápida com esse nome</li>
      ) : (
        respostas.map((resposta, i) => (
          <li
            key={resposta.id}
            id={`resposta-rapida-${resposta.id}`}
            role="option"
            aria-selected={i === ativa}
            className={i === ativa ? "ativa" : undefined}
            // mousedown, not click: the text box must not lose its focus first.
            onMouseDown={(evento) => {
              evento.preventDefault();
              onEscolher(resposta);
            }}
          >
            <span className="seletor-respostas-titulo">{resposta.titulo}</span>
            <span className="seletor-respostas-texto">{resposta.texto}</span>
          </li>
        ))
      )}
      <li role="presentation" className="seletor-respostas-gerenciar">
        {/* mousedown would not follow the link: the box keeps focus only for options. */}
        <Link to="/respostas-rapidas">Gerenciar respostas rápidas</Link>
      </li>
    </ul>
  );
}
