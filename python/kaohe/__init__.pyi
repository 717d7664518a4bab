# Type stubs of the kaohe module.
from decimal import Decimal
from os import PathLike
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, TypedDict, Union

__version__: str

# A record or unit record: a dict (numbers as int, Decimal, or Python's binary fractions, read
# from their shortest repr), or its JSON text.
Record = Union[Mapping[str, Any], str, bytes]
# A result (docs/records.md): {"id", "role", "total", "scores", "lines", ...}, every number a Decimal
# ("role" is None when the scheme declares no roles);
# or, in evaluate_many's list, an error result {"id", "error": {"code", "message", "where"}}.
Result = Dict[str, Any]
# {"code", "severity", "file", "line", "column", "message"}
Diagnostic = Dict[str, Any]

class Error(Exception): ...

class CompileError(Error):
    message: str
    diagnostics: List[Diagnostic]
    def __init__(self, message: str, diagnostics: Iterable[Diagnostic] = ...) -> None: ...

class RecordError(Error, ValueError):
    message: str
    where: str
    id: str
    code: str
    def __init__(self, message: str, where: str = ..., id: str = ..., code: str = ...) -> None: ...
    @property
    def field(self) -> str: ...

# A problem in a workbook (docs/workbooks.md): {"file", "sheet", "row", "column", "cell" ("C14"),
# "code" ("S003", or a record code), "message", "person" (the row's 编号, or ""), "text" (rendered)}.
SheetProblem = Dict[str, Any]

class Import(TypedDict):
    records: List[Dict[str, Any]]
    unit: Optional[Dict[str, Any]]
    problems: List[SheetProblem]
    people: int

class Ruleset:
    @property
    def policy_name(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def warnings(self) -> List[Diagnostic]: ...
    def evaluate(self, record: Record, unit: Optional[Record] = None) -> Result:
        """Scores one record; raises RecordError when it cannot be scored."""
    def import_workbook(self, data: Union[bytes, Sequence[Tuple[str, bytes]], Mapping[str, bytes]],
                        name: Optional[str] = None, skip_bad: bool = False) -> Import:
        """Reads a workbook (.xlsx) or one CSV sheet (its name says which), or several files at once
        (a list of (name, bytes) pairs or a dict, and no name: the CSV sheets of one workbook), into
        records, every problem at once; no records when there is a problem, unless skip_bad."""
    def evaluate_json(self, record: Record, unit: Optional[Record] = None) -> str:
        """The result JSON, or the error result JSON: what `kaohe eval --format json` prints."""
    def evaluate_many(self, records: Iterable[Record], unit: Optional[Record] = None, threads: int = 0) -> List[Result]:
        """Scores every record on `threads` threads (0: one per core, or 1 to 1024; anything else
        is a ValueError) with the GIL released; results in input order, a record that fails (a value no
        record can hold included) as its error result. Ctrl-C raises KeyboardInterrupt at once."""
    def entry_workbook(self) -> bytes:
        """The entry workbook (登记表.xlsx) for the ruleset, as the bytes of an .xlsx file: the sheets a
        clerk fills in, their drop-downs and validations, and the instructions (填表说明)."""
    def results_workbook(self, records: Iterable[Record], unit: Optional[Record] = None, threads: int = 0) -> bytes:
        """Scores the records as evaluate_many does and returns the results workbook (考核结果.xlsx) as
        bytes: 考核结果 (one row a person), 扣分明细 (every explanation line), 未能评分 (each record that
        failed, with its field, code and message)."""

def compile(path: Union[str, PathLike[str]]) -> Ruleset:
    """Compiles the ruleset whose root file is `path`; raises CompileError when it has errors."""

def compile_text(text: str, name: str = "<text>") -> Ruleset:
    """Compiles a ruleset from source text; includes are read relative to the current directory."""

def version() -> str: ...
