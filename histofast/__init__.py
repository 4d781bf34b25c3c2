"""From a public histology dataset to a trained, understood classifier, with fastai

Modules:

- `histofast.archives`: Unpack what was downloaded without trusting it: zip, tar and single-file gzip archives, extracted atomically and never outside their folder.
- `histofast.augment`: Batch transforms for histology tiles: the eight exact symmetries of the square, random zoom crops, resizing, H&E stain jitter and normalisation, on the whole batch and on its device.
- `histofast.backbones`: Backbones for histology: torchvision, timm and pathology foundation models from local weights.
- `histofast.cli`: `histofast`: the library in one command, for people who would rather not write code.
- `histofast.core`: Paths, errors, one reader for every image and item histofast meets, safe writing, seeding, and the couplings to fastai's internals.
- `histofast.data`: fastai `DataLoaders` for histology tiles, from files or from a pack: splits that keep slides apart, batch augmentation and normalisation, and a loader that keeps a GPU fed.
- `histofast.datasets`: Every dataset layout read into one table: `item`, `label`, `group`, `split`; and the public datasets of the reference works, fetched, verified and unpacked by name.
- `histofast.download`: Get a dataset's files without ever trusting a half-written or unverified one: resumable, checksummed HTTP downloads and Kaggle competitions.
- `histofast.features`: Deep features of any backbone, classical texture features, a linear SVM, image search and the Kimia Path24 scores: the schemes of Kieffer et al. 2017 and Kather et al. 2016, side by side on any dataset.
- `histofast.heatmaps`: Grad-CAM for any convolutional body: where in a tile the evidence for a class lies, drawn where each feature cell looks, and shown so that the tissue stays visible.
- `histofast.interpret`: See what the model learned: confusion matrix, per-class metrics, training curves, ROC, calibration, and the top losses with their Grad-CAM evidence.
- `histofast.learner`: `histo_learner` on any backbone: the model, its metrics and safety callbacks, precision, test-time augmentation and evaluation.
- `histofast.probes`: Linear models on features: SVMs, linear probes, retrieval, and comparisons of training schemes.
- `histofast.recipes`: The training recipes of the reference works, run with a seed per epoch, a checkpoint after every epoch and resumption from it; on one device or several.
- `histofast.registry`: The public datasets of the reference works: what each holds, its licence and citation, and the files to fetch with their checksums.
- `histofast.run`: Everything a trained model leaves behind: weights, settings, history, metrics, predictions, figures and a report; loading it back safely; predicting new tiles and a Kaggle submission.
- `histofast.sample`: An embedded, **synthetic** H&E-like dataset: five tissue classes, generated procedurally in seconds, deterministic for a seed. It lets every notebook, test and `make demo` run anywhere, with no download.
- `histofast.slides`: Slides and large images: tissue masks, tile grids and streaming inference into maps of the slide.
- `histofast.stain`: Stain normalisation (Reinhard, Macenko) and stain-matrix augmentation, on whole batches, with torch.
- `histofast.tiles`: Reading and checking tiles one by one and in bulk, and the packed array: every tile decoded once into one `uint8` array on disk."""

__version__ = "0.0.1"
