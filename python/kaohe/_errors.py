"""The exceptions of the kaohe module (raised by its C++ part, kaohe._kaohe)."""


class Error(Exception):
    """Base class of kaohe's exceptions."""


class CompileError(Error):
    """A ruleset has errors.

    ``diagnostics`` lists every diagnostic, warnings included, each a dict
    ``{"code", "severity", "file", "line", "column", "message"}``; ``str(e)`` is the rendered
    errors, as ``kaohe check`` prints them.
    """

    def __init__(self, message, diagnostics=()):
        super().__init__(message)
        self.message = message
        self.diagnostics = list(diagnostics)


class RecordError(Error, ValueError):
    """A record (or unit record) cannot be scored.

    ``message`` says why and ``where`` (also ``field``) names the field, as ``kaohe eval``
    reports them (``events[3].amount``; for a unit record ``unit`` or ``unit.events[0].type``);
    ``id`` is the record's id when it could be read, else ""; ``code`` is the stable error code
    (``R003``: an unknown field, ...), when kaohe gives one.
    """

    def __init__(self, message, where="", id="", code=""):  # noqa: A002 - the record's field is called id
        super().__init__(message, where, id, code)
        self.message = message
        self.where = where
        self.id = id
        self.code = code

    @property
    def field(self):
        return self.where

    def __str__(self):
        code = "[%s] " % self.code if getattr(self, "code", None) else ""
        return "record %s: %s: %s%s" % (self.id or "(no id)", self.where, code, self.message)
