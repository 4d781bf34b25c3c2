"""Keep saved notebook outputs small: re-encode large PNG figures (photographs of tissue compress poorly as PNG) as JPEG.

Usage: python tools/shrink_outputs.py nbs/*.ipynb nbs/tutorials/*.ipynb  (after `nbdev-test --save`, before `nbdev-clean`)"""
import base64, io, json, sys
from pathlib import Path
from PIL import Image

LIMIT = 300_000  # characters of base64: figures below this stay PNG (crisp lines and text)

def shrink(path:Path, quality:int=85) -> int:
    nb, saved = json.loads(path.read_text()), 0
    for cell in nb['cells']:
        for out in cell.get('outputs', []):
            data = out.get('data', {})
            png = data.get('image/png')
            if png is None: continue
            png = ''.join(png) if isinstance(png, list) else png
            if len(png) < LIMIT: continue
            im = Image.open(io.BytesIO(base64.b64decode(png)))
            bg = Image.new('RGB', im.size, 'white')
            bg.paste(im, mask=im.getchannel('A') if im.mode == 'RGBA' else None)
            buf = io.BytesIO(); bg.save(buf, 'JPEG', quality=quality, optimize=True)
            jpg = base64.b64encode(buf.getvalue()).decode()
            del data['image/png']; data['image/jpeg'] = jpg
            saved += len(png) - len(jpg)
    if saved: path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    return saved

if __name__ == '__main__':
    for p in map(Path, sys.argv[1:]):
        if (n := shrink(p)): print(f"{p}: {n/1e6:.1f} MB smaller")
