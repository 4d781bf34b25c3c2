"""Everything public in histofast, for `from histofast.all import *` (as `fastai.vision.all`), with fastai.vision.all's
names first (torch, Path, load_learner...), as fastai's own `all` modules bring those they build on.
Written by hand: nbdev exports the modules, this file only gathers them, in the order data flows."""
from .core import *  # first: it quiets fastai's import-time deprecation warnings
from fastai.vision.all import *
from .download import *
from .archives import *
from .registry import *
from .layouts import *
from .datasets import *
from .sample import *
from .augment import *
from .colour import *
from .stain import *
from .tiles import *
from .data import *
from .backbones import *
from .learner import *
from .int8 import *
from .recipes import *
from .heatmaps import *
from .interpret import *
from .run import *
from .features import *
from .probes import *
from .slides import *
from .maps import *
from .annotations import *
