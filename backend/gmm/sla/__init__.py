"""SLA dos chamados: o calendário de expediente sobre o qual prazos e cobranças são contados."""
