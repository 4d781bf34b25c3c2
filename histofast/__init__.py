"""From a public histology dataset to a trained, understood classifier, with fastai

Modules:

- `histofast.sample`: An embedded, **synthetic** H&E-like dataset: five tissue classes, generated procedurally in seconds, deterministic for a seed. It lets every notebook, test and `make demo` run anywhere, with no download."""

__version__ = "0.0.1"
