"""Fills an entry workbook in LibreOffice Calc, as a clerk would, and saves it.

    /usr/bin/python3 fill.py RULES_DIR TEMPLATE.xlsx RECORDS.jsonl UNIT.json OUT_DIR

Starts Calc headless (its own profile under OUT_DIR), opens the template that `kaohe template`
wrote, and types each record's data into the sheets cell by cell through Calc's own input
(Calc's own input reading, as typing does): labels where a clerk picks from the drop-down,
dates and numbers; what the sheet's validation would refuse when typed (dates written
with slashes or in Chinese, numbers as text or in full-width digits) is pasted in as text.
Columns are found by their headers, row 1. Then saves the workbook as OUT_DIR/filled.xlsx and
exports each sheet as GB18030 CSV (what Excel and Calc on a Chinese Windows write),
OUT_DIR/filled-SHEET.csv.

Labels are taken from the rule files' declarations (`event study_late "集体学习迟到"`), as a clerk
sees them in the drop-downs.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def labels_of(rules_dir):
    """id → label for roles, events, groups, measures and attribute values, from the rule files."""
    labels = {}
    for path in glob.glob(os.path.join(rules_dir, "**", "*.kh"), recursive=True):
        text = open(path, encoding="utf-8").read()
        for kind, ident, label in re.findall(r'^\s*(role|event|group|measure)\s+(\w+)\s+"([^"]+)"', text, re.M):
            labels[(kind, ident)] = label
        for body in re.findall(r'^\s*attribute\s+\w+\s+"[^"]*"\s*\{(.*?)\}', text, re.M | re.S):
            for ident, label in re.findall(r'(\w+)\s+"([^"]+)"', body):
                labels[("value", ident)] = label
    return labels


def main():
    rules_dir, template, records_path, unit_path, out_dir = sys.argv[1:6]
    out_dir = os.path.abspath(out_dir)
    # Headless Calc driven from outside now and then dies on its own (an uncaught exception in
    # its startup or its input handling, more often on a loaded machine): try again, each time
    # from a fresh profile, and say so. What is typed and checked is the same each time.
    for attempt in range(1, 4):
        try:
            fill(rules_dir, template, records_path, unit_path, out_dir, attempt)
            return
        except Exception as e:  # the bridge's DisposedException and RuntimeException among them
            print("fill.py: attempt %d: LibreOffice failed (%s)" % (attempt, e), file=sys.stderr)
    sys.exit("fill.py: LibreOffice failed three times")


def fill(rules_dir, template, records_path, unit_path, out_dir, attempt):
    labels = labels_of(rules_dir)
    records = [json.loads(line) for line in open(records_path, encoding="utf-8") if line.strip()]
    unit = json.load(open(unit_path, encoding="utf-8"))
    pipe = "kaohe_fill_%d_%d" % (os.getpid(), attempt)
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         "-env:UserInstallation=" + uno.systemPathToFileUrl(os.path.join(out_dir, "profile%d" % attempt)),
         "--accept=pipe,name=%s;urp;" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(600):
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except Exception:
                time.sleep(0.1)
        if ctx is None:
            raise RuntimeError("it did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        # A copy for each attempt: a Calc that died leaves its lock file beside the document.
        copy = os.path.join(out_dir, "template%d.xlsx" % attempt)
        shutil.copyfile(template, copy)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(copy), "_blank", 0, (prop("Hidden", True),))
        if doc is None:
            raise RuntimeError("it could not open the template")
        # The date format Calc gives a date typed as 2022-03-14.
        formats = doc.NumberFormats
        locale = uno.createUnoStruct("com.sun.star.lang.Locale")
        date_format = formats.queryKey("YYYY-MM-DD", locale, False)
        if date_format == -1:
            date_format = formats.addNew("YYYY-MM-DD", locale)

        def headers(sheet):
            out = {}
            for c in range(200):
                h = sheet.getCellByPosition(c, 0).getString().strip()
                if h:
                    out[h] = c
            return out

        def paste_text(sheet_name, column, row, text):
            """Puts `text` into the cell as text, as pasting from another document does: what the
            sheet's validation would refuse when typed (a number as text, full-width digits, a
            date written out) arrives this way."""
            doc.Sheets.getByName(sheet_name).getCellByPosition(column, row).setString(str(text))

        def type_into(sheet_name, column, row, text):
            """Enters `text` into the cell as typed input: Calc's own input reading makes it a
            number, a date or a text, and a date typed in ISO form gets the date format typing
            gives it. (Calc's input line, driven through the dispatcher, aborts now and then on a
            loaded machine; the cell's own input reading is the same and does not.)"""
            cell = doc.Sheets.getByName(sheet_name).getCellByPosition(column, row)
            cell.setFormula(str(text))
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(text)) and cell.getValue() > 0:
                cell.NumberFormat = date_format

        fullwidth = str.maketrans("0123456789.", "０１２３４５６７８９．")

        def put_date(sheet_name, column, row, date, i):
            """The date as a clerk gives it: typed (ISO: Calc makes it a date cell; a month as
            2022-06), or pasted as text with slashes or in Chinese."""
            if len(date) == 7 or i % 3 == 0:
                type_into(sheet_name, column, row, date)
                return
            y, m, d = date.split("-")
            paste_text(sheet_name, column, row, ["", "%s/%d/%d" % (y, int(m), int(d)), "%s年%d月%d日" % (y, int(m), int(d))][i % 3])

        people = doc.Sheets.getByName("人员名单")
        ph = headers(people)
        events_rows = []
        for i, r in enumerate(records):
            row = i + 1
            type_into("人员名单", ph["编号"], row, r["id"])
            type_into("人员名单", ph["姓名"], row, r["name"])
            type_into("人员名单", ph["岗位"], row, labels[("role", r["role"])])
            for g in r.get("groups", []):
                type_into("人员名单", ph[labels[("group", g)]], row, "是")
            for j, (m, v) in enumerate(sorted(r.get("measures", {}).items())):
                column = ph[labels[("measure", m)]]
                if j % 3 == 0:
                    type_into("人员名单", column, row, v)
                elif j % 3 == 1:
                    paste_text("人员名单", column, row, v)  # a number as text
                else:
                    paste_text("人员名单", column, row, str(v).translate(fullwidth))  # a Chinese input method's full-width digits
            for e in r.get("events", []):
                events_rows.append((r, e))

        def event_row(sheet_name, h, row, e, i, person=None):
            if person is not None:
                type_into(sheet_name, h["编号"], row, person["id"])
                if i % 2 == 0:
                    type_into(sheet_name, h["姓名"], row, person["name"])
            type_into(sheet_name, h["事件类型"], row, labels[("event", e["type"])])
            if "date" in e:
                put_date(sheet_name, h["日期"], row, e["date"], i)
            if "amount" in e:
                type_into(sheet_name, h["分值"], row, e["amount"])
            if "count" in e:
                type_into(sheet_name, h["次数"], row, e["count"])
            if "issuer" in e:
                type_into(sheet_name, h["颁发机关"], row, labels[("value", e["issuer"])])
            if "note" in e:
                type_into(sheet_name, h["备注"], row, e["note"])

        eh = headers(doc.Sheets.getByName("事件登记"))
        for i, (person, e) in enumerate(events_rows):
            event_row("事件登记", eh, i + 1, e, i, person)
        uh = headers(doc.Sheets.getByName("单位事件"))
        for i, e in enumerate(unit["events"]):
            event_row("单位事件", uh, i + 1, e, i)

        doc.storeToURL(uno.systemPathToFileUrl(os.path.join(out_dir, "filled.xlsx")),
                       (prop("FilterName", "Calc MS Excel 2007 XML"),))
        # GB18030 is text encoding 85; -1: every sheet, each to filled-SHEET.csv; cells as shown.
        doc.storeToURL(uno.systemPathToFileUrl(os.path.join(out_dir, "filled.csv")),
                       (prop("FilterName", "Text - txt - csv (StarCalc)"),
                        prop("FilterOptions", "44,34,85,1,,0,false,true,true,false,false,-1")))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        try:
            office.wait(timeout=60)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()


if __name__ == "__main__":
    main()
