"""Every table of every feature, for Alembic and the test database."""

from gmm.auth.models import Usuario
from gmm.chamados.models import Chamado, SequenciaChamado
from gmm.conversas.models import Mensagem
from gmm.db import Base
from gmm.terceirizados.models import Terceirizado
from gmm.whatsapp.models import AckPendente, ConfiguracaoWhatsapp

metadata = Base.metadata

__all__ = [
    "AckPendente",
    "Chamado",
    "ConfiguracaoWhatsapp",
    "Mensagem",
    "SequenciaChamado",
    "Terceirizado",
    "Usuario",
    "metadata",
]
