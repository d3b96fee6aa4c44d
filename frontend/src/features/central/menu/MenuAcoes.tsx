import { type ItemMenu, Menu } from "../../../components/Menu";
import { IconeMais } from "../../../components/Icones";

export type AcaoMenu =
  | "lista"
  | "botoes"
  | "arquivo"
  | "solicitar-orcamento"
  | "orcamento"
  | "visita"
  | "concluido"
  | "link-prestador";

export const ITENS_MENU: ItemMenu<AcaoMenu>[] = [
  { id: "lista", rotulo: "Enviar lista", dica: "Opções em seções, escolhidas por toque" },
  { id: "botoes", rotulo: "Enviar botões", dica: "Até 3 respostas rápidas" },
  { id: "arquivo", rotulo: "Anexar arquivo", dica: "Foto, áudio, vídeo ou documento" },
  {
    id: "solicitar-orcamento",
    rotulo: "Solicitar orçamento",
    dica: "Pede o valor ao terceirizado",
    grupo: true,
  },
  { id: "orcamento", rotulo: "Orçamento", dica: "Um valor para Aprovar ou Rejeitar" },
  { id: "visita", rotulo: "Confirmar visita", dica: "Data e hora: Confirmo ou Remarcar" },
  { id: "concluido", rotulo: "Concluído?", dica: "Pergunta se o serviço terminou" },
  {
    id: "link-prestador",
    rotulo: "Enviar link ao prestador",
    dica: "Página para enviar fotos e concluir, sem login",
    grupo: true,
  },
];

interface Props {
  onEscolher: (acao: AcaoMenu) => void;
  desabilitado?: boolean;
  motivoDesabilitado?: string;
}

/** The composer's "…": interactive messages, files and the ready-made actions. */
export function MenuAcoes({ onEscolher, desabilitado, motivoDesabilitado }: Props) {
  return (
    <Menu
      rotulo="Mais ações"
      icone={<IconeMais width={22} height={22} />}
      itens={ITENS_MENU}
      onEscolher={onEscolher}
      desabilitado={desabilitado}
      motivoDesabilitado={motivoDesabilitado}
      className="composer-menu"
    />
  );
}
