"""Every table of every feature, for Alembic and the test database."""

from gmm.auth.models import Usuario
from gmm.automacao.models import EstadoConversa, RegraAutomacao
from gmm.chamados.models import Chamado, HistoricoChamado, SequenciaChamado
from gmm.conversas.models import AlteracaoMensagem, Mensagem
from gmm.core.db import Base
from gmm.desempenho.models import FatoChamado, RespostaOperador
from gmm.envio.models import AckPendente, ConfiguracaoWhatsapp
from gmm.monitoramento.models import Alerta
from gmm.prestador.models import TokenAcesso, UsoTokenAcesso
from gmm.recebimento.models import RoteamentoTerceirizado
from gmm.respostas_rapidas.models import RespostaRapida
from gmm.sla.models import CobrancaAutomatica, EtapaConfig, Expediente, Feriado, PoliticaSla
from gmm.terceirizados.models import IdentidadeTerceirizado, Terceirizado

metadata = Base.metadata

__all__ = [
    "AckPendente",
    "Alerta",
    "AlteracaoMensagem",
    "Chamado",
    "CobrancaAutomatica",
    "ConfiguracaoWhatsapp",
    "EstadoConversa",
    "EtapaConfig",
    "Expediente",
    "FatoChamado",
    "Feriado",
    "HistoricoChamado",
    "IdentidadeTerceirizado",
    "Mensagem",
    "PoliticaSla",
    "RegraAutomacao",
    "RespostaOperador",
    "RespostaRapida",
    "RoteamentoTerceirizado",
    "SequenciaChamado",
    "Terceirizado",
    "TokenAcesso",
    "UsoTokenAcesso",
    "Usuario",
    "metadata",
]
