"""Everything public in histofast, for `from histofast.all import *` (as `fastai.vision.all`).
Written by hand: nbdev exports the modules, this file only gathers them."""
from .core import *
from .download import *
from .datasets import *
from .sample import *
from .data import *
from .learner import *
from .interpret import *
from .features import *
