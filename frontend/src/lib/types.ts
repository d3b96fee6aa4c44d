import type { components } from "./api-types";

type S = components["schemas"];

export type Usuario = S["UsuarioOut"];
export type TokenOut = S["TokenOut"];
export type Terceirizado = S["TerceirizadoOut"];
export type TerceirizadoCreate = S["TerceirizadoCreate"];
export type TerceirizadoUpdate = S["TerceirizadoUpdate"];
export type Chamado = S["ChamadoOut"];
export type ChamadoCreate = S["ChamadoCreate"];
export type ChamadoUpdate = S["ChamadoUpdate"];
export type ChamadoInfo = S["ChamadoInfo"];
export type ChamadoComMensagem = S["ChamadoComMensagem"];
export type Estatisticas = S["EstatisticasChamado"];
export type Conversa = S["ConversaOut"];
export type Mensagem = S["MensagemOut"];
export type StatusChamado = S["StatusChamado"];
export type Prioridade = S["Prioridade"];
export type StatusEnvio = S["StatusEnvio"];
export type LidasOut = S["LidasOut"];

/** Every list endpoint answers one page and the cursor of the next. */
export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}
