"""The web application's shared parts: base templates, navigation, registers (list, detail,
create, edit, export) and the small JavaScript initialiser. Domain apps declare their registers
with :class:`duikou.ui.registers.Register`; ``reports`` adds the dashboard and overview."""
