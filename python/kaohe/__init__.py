"""kaohe: performance-assessment scorecards as code, scored exactly.

    import kaohe
    rules = kaohe.compile("rulesets/seed/seed.kh")       # raises kaohe.CompileError
    result = rules.evaluate({"id": "2022-001", "role": "chair", "year": 2022, ...})
    result["total"]                                       # Decimal('94.5')

Records are dicts (or JSON text). Their numbers may be int, decimal.Decimal, or Python's binary
fractions, which are read from their shortest repr (93.7 is 937/10, not the nearest binary
value). Results are dicts in the result format of docs/records.md whose numbers are all
decimal.Decimal. A Ruleset is immutable and may be shared between threads; scoring releases the
GIL.
"""
from ._errors import CompileError, Error, RecordError
from ._kaohe import Ruleset, compile, compile_text, version

__version__ = version()

__all__ = ["CompileError", "Error", "RecordError", "Ruleset", "compile", "compile_text", "version",
           "__version__"]
