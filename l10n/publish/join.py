"""The pieces of a long page's PDF (pieces.py) joined into one file, in a process of its own.

qpdf holds every object of the file it writes, and the tagged structure of a long page has one for each paragraph
and each run of text on a line (docs/ARCHITECTURE.md, "A long page's PDF, in pieces"). In the command's own
process that memory would come on top of all the command holds by then (catalogs, the page, WeasyPrint's fonts
and the pieces); in a child started for the join, the two are not added up, and the command's peak is the larger
of them. The child is given the pieces on stdin and gives the PDF back on stdout: it writes no file, and the
command writes the PDF as it writes every output."""

from __future__ import annotations

import io
import pickle
import subprocess
import sys

from ..errors import L10nError

#: a laid-out piece: its PDF, and (level, label, open) of each heading on its pages, for the outline
Piece = tuple[bytes, list[tuple[int, str, bool]]]


def join(pieces: list[Piece], footers: bytes) -> bytes:
    """The joined PDF (`joined`), made by a child Python process running this module. `-P`: the child imports
    l10n as this process did, not from a folder named l10n in the current directory."""
    child = subprocess.run([sys.executable, "-P", "-m", __name__], input=pickle.dumps((pieces, footers)),
                           capture_output=True)
    if child.returncode != 0:
        said = child.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = said[-1] if said else f"exit status {child.returncode}"
        raise L10nError(f"cannot write PDF: joining its pieces failed ({reason})")
    return child.stdout


def main() -> None:
    """The child: pieces and footers on stdin (pickled by `join`, the same code), the PDF on stdout."""
    pieces, footers = pickle.loads(sys.stdin.buffer.read())
    sys.stdout.buffer.write(joined(pieces, footers))


def joined(pieces: list[Piece], footers: bytes) -> bytes:
    """One PDF of the pieces' pages, each with its footer drawn on top; one structure tree, one outline. Joined
    with qpdf (pikepdf): pypdf holds each of the structure tree's objects as a Python object, several times the
    memory."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name, OutlineItem

    pdf = pikepdf.open(io.BytesIO(pieces[0][0]))
    tree = pdf.Root.StructTreeRoot
    document = tree.K[0]
    page_keys: list = []
    annotations: list = []
    marks: list = []
    names: list = []
    for number, (data, bookmarks) in enumerate(pieces):
        source = pikepdf.open(io.BytesIO(data)) if number else pdf
        offset = len(pdf.pages) if number else 0
        index = {page.obj.objgen: i for i, page in enumerate(source.pages)}
        if number:
            # pikepdf opens every PDF with qpdf's immediate copy: a stream's data is copied with the stream,
            # so the piece can be closed once copied, and the join holds each object once, not twice
            pdf.pages.extend(source.pages)
            structure = pdf.copy_foreign(source.Root.StructTreeRoot)
            for kid in structure.K[0].K:  # the piece's Document element is left out: the file keeps one
                kid.P = document
                document.K.append(kid)
        else:
            structure = tree
        nums = list(structure.ParentTree.Nums)
        for key, value in zip(nums[::2], nums[1::2]):  # pages first, then the link annotations
            (page_keys if int(key) < len(source.pages) else annotations).append(value)

        def moved(destination: Array) -> Array:
            return Array([pdf.pages[offset + index[destination[0].objgen]].obj, *list(destination)[1:]])

        marks += [(level, label, is_open, moved(destination))
                  for (level, label, is_open), destination in zip(bookmarks, _destinations(source))]
        if Name.Names in source.Root and Name.Dests in source.Root.Names:
            flat = list(source.Root.Names.Dests.Names)
            names += [(name, moved(destination)) for name, destination in zip(flat[::2], flat[1::2])]
        if number:
            source.close()
    total = len(pdf.pages)
    for number, page in enumerate(pdf.pages):
        page.obj.StructParents = number
    keys: list = []
    for number, value in enumerate(page_keys):
        keys += [number, value]
    for key, annotation in enumerate(annotations, start=total):
        annotation.StructParent = key
        keys += [key, annotation]
    tree.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(keys)))
    numbers = pikepdf.open(io.BytesIO(footers))
    for number, (page, footer) in enumerate(zip(pdf.pages, numbers.pages)):
        name = f"/L10nFooter{number}"  # the pages of a piece share one resource dictionary
        page.add_resource(pdf.copy_foreign(numbers.make_indirect(footer.as_form_xobject())), Name.XObject,
                          name=Name(name))
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(f"Q\n/Artifact BMC\nq\n{name} Do\nQ\nEMC\n".encode())
    with pdf.open_outline() as outline:
        stack: list[tuple[int, OutlineItem]] = []
        top: list[OutlineItem] = []
        for level, label, is_open, destination in marks:
            item = OutlineItem(label, destination)
            item.is_closed = not is_open
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].children if stack else top).append(item)
            stack.append((level, item))
        outline.root[:] = top
    if names:
        if Name.Names not in pdf.Root:
            pdf.Root.Names = Dictionary()
        names.sort(key=lambda pair: bytes(pair[0]))
        pdf.Root.Names.Dests = Dictionary(Names=Array([item for pair in names for item in pair]))
    out = io.BytesIO()
    # the same pieces, the same bytes; the structure tree's small objects packed in object streams (a quarter of
    # the size, and less memory to write)
    pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _destinations(pdf) -> list:
    """The destinations of a PDF's outline in reading order."""
    found = []

    def walk(item) -> None:
        while item is not None:
            found.append(item.Dest)
            if "/First" in item:
                walk(item.First)
            item = item.get("/Next")

    if "/Outlines" in pdf.Root and "/First" in pdf.Root.Outlines:
        walk(pdf.Root.Outlines.First)
    return found


if __name__ == "__main__":
    main()
