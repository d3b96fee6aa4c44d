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
/** The message a message quotes (a reply). */
export type Citacao = S["CitacaoOut"];
export type MoverIn = S["MoverIn"];
export type Movidas = S["MovidasOut"];
/** A contractor's chamados with their conversations, and how many of their messages wait. */
export type PaginaConversasTerceirizado = S["PaginaConversasTerceirizado"];
export type PaginaNaoAtribuidas = S["PaginaNaoAtribuidas"];
export type StatusChamado = S["StatusChamado"];
export type Prioridade = S["Prioridade"];
export type StatusEnvio = S["StatusEnvio"];
export type TipoConteudo = S["TipoConteudo"];
export type LidasOut = S["LidasOut"];
export type ResultadoBusca = S["ResultadoBusca"];
export type ResultadosCobranca = S["ResultadosOut"];

/** Every list endpoint answers one page and the cursor of the next. */
export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

export type Papel = S["Papel"];
export type Historico = S["HistoricoOut"];
export type OrigemHistorico = S["OrigemHistorico"];
export type ListaIn = S["ListaIn"];
export type BotoesIn = S["BotoesIn"];
export type OrcamentoIn = S["OrcamentoIn"];
export type ConfirmarVisitaIn = S["ConfirmarVisitaIn"];
export type Regra = S["RegraOut"];
export type RegraIn = S["RegraIn"];
export type RegraUpdate = S["RegraUpdate"];
export type AcaoRegra = S["AcaoRegra"];
export type TipoPadrao = S["TipoPadrao"];
export type TestarRegrasOut = S["TestarRegrasOut"];
export type ConfiguracaoWhatsApp = S["ConfiguracaoOut"];
export type ConfiguracaoWhatsAppIn = S["ConfiguracaoIn"];
export type LinkPrestadorIn = S["LinkPrestadorIn"];
export type LinkPrestadorCriado = S["LinkPrestadorCriado"];
export type UsuarioCreate = S["UsuarioCreate"];
export type UsuarioUpdate = S["UsuarioUpdate"];
export type AtribuirIn = S["AtribuirIn"];
export type ResponderIn = S["ResponderIn"];
export type Metricas = S["MetricasOut"];
export type CircuitBreaker = S["CircuitBreakerOut"];
export type StatusBreaker = S["CircuitBreakerOut"]["status"];
export type VolumeHora = S["VolumeHora"];
export type ChamadoAfetado = S["ChamadoAfetado"];
export type Alerta = S["AlertaOut"];
export type TipoAlerta = S["TipoAlerta"];
export type Severidade = S["Severidade"];
export type RespostaRapida = S["RespostaRapidaOut"];
export type RespostaRapidaIn = S["RespostaRapidaIn"];
export type RespostaRapidaUpdate = S["RespostaRapidaUpdate"];

/* SLA: business hours, holidays, deadlines per priority and the follow-up ladder. */
export type Sla = S["SlaOut"];
export type Expediente = S["ExpedienteOut"];
export type ExpedienteIn = S["ExpedienteIn"];
export type Feriado = S["FeriadoOut"];
export type FeriadoIn = S["FeriadoIn"];
export type PoliticaSla = S["PoliticaOut"];
export type PoliticaIn = S["PoliticaIn"];
export type Etapa = S["Etapa"];
export type EtapaCobranca = S["EtapaOut"];
export type EtapaIn = S["EtapaIn"];
export type ChamadoSla = S["ChamadoSlaOut"];
export type PassoCobranca = S["PassoOut"];
export type Aguardando = S["AguardandoOut"];

/* What a message holds besides its text: one kind per `tipo` (MensagemOut.conteudo). */
export type ConteudoBotoes = S["ConteudoBotoes"];
export type ConteudoLista = S["ConteudoLista"];
export type Acao = S["Acao"];
/** A contractor's tap on a reply button or a list row. */
export type RespostaToque = S["Resposta"];

/* The payloads of GET /api/eventos, one per SSE `event:` name (x-evento). */
export type MensagemNova = S["MensagemNova"];
export type MensagemStatus = S["MensagemStatus"];
export type MensagemAlterada = S["MensagemAlterada"];
export type MensagensMovidas = S["MensagensMovidas"];
export type ChamadoAtualizado = S["ChamadoAtualizado"];
export type Notificacao = S["Notificacao"];
export type AlertaEvento = S["AlertaEvento"];
export type ConexaoEvento = S["ConexaoEvento"];
export type Reset = S["Reset"];

/* Desempenho: the contractors' scorecard and trend, the operators' answer times. */
export type Metrica = S["Metrica"];
export type UnidadeMetrica = S["Metrica"]["unidade"];
export type Placar = S["Placar"];
export type PlacarTerceirizado = S["PlacarTerceirizado"];
export type Ranking = S["RankingOut"];
export type DetalheDesempenho = S["DetalheOut"];
export type PontoSerie = S["PontoSerie"];
export type AtencaoTerceirizado = S["Atencao"];
export type TemposOperadores = S["OperadoresOut"];
export type TempoResposta = S["TempoResposta"];
export type TempoOperador = S["TempoOperador"];
export type TempoHora = S["TempoHora"];
