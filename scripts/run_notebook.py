#!/usr/bin/env python3
"""Execute a notebook headlessly (e.g. with the faaslab/tslab kernel) and report failures clearly.

usage: run_notebook.py NOTEBOOK [--kernel faaslab] [--out OUT.ipynb] [--html OUT.html] [--timeout 600]

Exit 0 when every code cell ran, 1 when a cell failed (or the kernel could not start / died / timed out),
2 for bad arguments or a missing Python dependency.

tslab does not send Jupyter `error` messages: a failing cell writes to stderr and replies with status
"error" but no ename/evalue, so nbclient's CellExecutionError is empty. We therefore report the failing
cell ourselves, with the stderr text it produced. tslab also aborts requests that arrive right after an
error, so we stop at the first failure (and treat an "abort"/"aborted" reply as a failure too).
"""
import argparse
import os
import sys

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
except ImportError as e:
    print(
        f"run_notebook.py: {e}. Install nbclient and nbformat for {sys.executable} "
        "(Debian/Ubuntu: apt-get install python3-nbclient python3-nbformat; or pip install nbclient nbformat)",
        file=sys.stderr,
    )
    sys.exit(2)

SOURCE_PREVIEW_LINES = 5


def parse_args(argv):
    ap = argparse.ArgumentParser(description="Execute a Jupyter notebook and report the failing cell.")
    ap.add_argument("notebook")
    ap.add_argument("--kernel", default="faaslab", help="kernelspec name (default: faaslab)")
    ap.add_argument("--out", help="write the executed notebook here")
    ap.add_argument("--html", help="write an HTML rendering of the executed notebook here")
    ap.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default: 600)")
    return ap.parse_args(argv)


class Tracker:
    """Remembers the cell being run and each reply, because nbclient's exceptions carry no cell index."""

    def __init__(self):
        self.current = None  # (index, cell)
        self.failed = None  # (index, cell, reply content)

    def on_cell_execute(self, cell, cell_index, **_):
        self.current = (cell_index, cell)

    def on_cell_executed(self, cell, cell_index, execute_reply, **_):
        content = (execute_reply or {}).get("content", {})
        if content.get("status", "ok") != "ok" and self.failed is None:
            self.failed = (cell_index, cell, content)


def stream_text(cell, name):
    outputs = cell.get("outputs", [])
    return "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream" and o.get("name") == name)


def error_outputs_text(cell):
    # Real Jupyter `error` outputs (other kernels, or a future tslab).
    parts = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error":
            parts.append("\n".join(o.get("traceback") or []) or f"{o.get('ename')}: {o.get('evalue')}")
    return "\n".join(parts)


def report_cell(index, cell, headline, detail=""):
    lines = cell.get("source", "").splitlines()
    preview = "\n".join("    " + l for l in lines[:SOURCE_PREVIEW_LINES])
    if len(lines) > SOURCE_PREVIEW_LINES:
        preview += f"\n    ... ({len(lines) - SOURCE_PREVIEW_LINES} more lines)"
    out = [f"run_notebook.py: {headline} in cell {index} (0-based, counting markdown cells):", preview]
    stderr = stream_text(cell, "stderr").rstrip()
    errors = error_outputs_text(cell).rstrip()
    if stderr:
        out += ["--- stderr of that cell ---", stderr]
    if errors:
        out += ["--- error output of that cell ---", errors]
    if detail:
        out += ["--- details ---", detail.rstrip()]
    if not (stderr or errors or detail):
        out.append("(the cell produced no stderr)")
    print("\n".join(out), file=sys.stderr)


def write_outputs(nb, args):
    if args.out:
        nbformat.write(nb, args.out)
    if args.html:
        from nbconvert import HTMLExporter

        body, _ = HTMLExporter().from_notebook_node(nb)
        with open(args.html, "w", encoding="utf-8") as f:
            f.write(body)


def main(argv=None):
    args = parse_args(argv)
    nb_path = os.path.abspath(args.notebook)
    nb = nbformat.read(nb_path, as_version=4)
    tracker = Tracker()
    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        resources={"metadata": {"path": os.path.dirname(nb_path)}},  # kernel cwd = notebook dir
        on_cell_execute=tracker.on_cell_execute,
        on_cell_executed=tracker.on_cell_executed,
    )
    status = 0
    try:
        client.execute()
    except CellExecutionError as e:
        status = 1
        if tracker.failed:
            index, cell, content = tracker.failed
            # tslab leaves ename/evalue empty; show them only if a kernel filled them in.
            detail = f"{content.get('ename')}: {content.get('evalue')}" if content.get("ename") else ""
            report_cell(index, cell, f"cell failed (status {content.get('status')!r})", detail)
        else:
            print(f"run_notebook.py: cell execution failed:\n{e}", file=sys.stderr)
    except CellTimeoutError as e:
        status = 1
        index, cell = tracker.current or (-1, {})
        report_cell(index, cell, f"timed out after {args.timeout}s", str(e))
    except DeadKernelError as e:
        status = 1
        index, cell = tracker.current or (-1, {})
        report_cell(index, cell, "the kernel died", str(e))
    except Exception as e:  # e.g. NoSuchKernel, kernel start-up timeout
        status = 1
        msg = f"run_notebook.py: could not run {nb_path} with kernel {args.kernel!r}: {type(e).__name__}: {e}"
        if type(e).__name__ == "NoSuchKernel":
            msg += "\n  Install it with `faaslab kernel install`, or set JUPYTER_PATH to a dir holding kernels/<name>."
        print(msg, file=sys.stderr)

    if status == 0 and tracker.failed:
        # nbclient does not raise for "abort"/"aborted" replies; we do.
        status = 1
        index, cell, content = tracker.failed
        report_cell(index, cell, f"cell did not run (status {content.get('status')!r})")

    write_outputs(nb, args)  # also on failure: the partial notebook is the best debugging aid
    return status


if __name__ == "__main__":
    sys.exit(main())
