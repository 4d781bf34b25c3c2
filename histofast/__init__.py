"""From a public histology dataset to a trained, understood classifier, with fastai

Modules:

- `histofast.annotations`: Regions drawn on slides (QuPath's GeoJSON) become tiles to train on, with the slide as the group.
- `histofast.archives`: Unpack what was downloaded without trusting it: zip, tar and single-file gzip archives, extracted atomically and never outside their folder.
- `histofast.augment`: Batch transforms for histology tiles: the eight exact symmetries of the square, random zoom crops, resizing, H&E stain jitter and normalisation, on the whole batch and on its device.
- `histofast.backbones`: Backbones for histology: torchvision, timm and pathology foundation models from local weights.
- `histofast.cli`: `histofast`: the library in one command, for people who would rather not write code.
- `histofast.colour`: CIELAB for batches of tiles, as scikit-image computes it, in torch; and how far apart two sets of tiles look.
- `histofast.core`: Paths, errors, one reader for every image and item histofast meets, safe writing, seeding, and the couplings to fastai's internals.
- `histofast.data`: fastai `DataLoaders` for histology tiles, from files or from a pack: splits that keep slides apart, batch augmentation and normalisation, and a loader that keeps a GPU fed.
- `histofast.datasets`: The public datasets of the reference works by name: fetched, verified and unpacked once, or placed by hand and checked; and `read_dataset`, which reads them, or any folder or table, into one table.
- `histofast.download`: Get a dataset's files without ever trusting a half-written or unverified one: resumable, checksummed HTTP downloads and Kaggle competitions.
- `histofast.features`: Deep features of any backbone, classical texture features and colour baselines, cached on disk: what the linear models of `histofast.probes` are fitted on.
- `histofast.heatmaps`: Grad-CAM for convolutional and vision-transformer bodies: where in a tile (of any shape) the evidence for a class lies, drawn where each feature cell looks, at a layer fine enough for small tiles, and shown so that the nuclei stay visible.
- `histofast.int8`: A trained model's body in 8-bit integers on the CPU, calibrated on the tiles it is about to classify: twice bf16's speed for the model, 1.6× for a whole `map_slide`.
- `histofast.interpret`: See what the model learned: confusion matrix, per-class metrics, training curves, ROC, calibration, and the top losses with their Grad-CAM evidence.
- `histofast.layouts`: Every dataset layout on disk (class folders, split folders, patches, the Kaggle layout, PCam HDF5, CSV tables) read into one table: `item`, `label`, `group`, `split`.
- `histofast.learner`: `histo_learner` on any backbone: the model, its metrics and safety callbacks, precision, test-time augmentation and evaluation.
- `histofast.maps`: A slide classified tile by tile, as the results its users open: tiles.csv, class and probability maps, figures over the thumbnail, GeoJSON for QuPath, a report.
- `histofast.probes`: Linear models on features: SVMs, linear probes, retrieval, and comparisons of training schemes.
- `histofast.recipes`: The training recipes of the reference works, run with a seed per epoch, a checkpoint after every epoch and resumption from it; on one device or several.
- `histofast.registry`: The public datasets of the reference works: what each holds, its licence and citation, and the files to fetch with their checksums.
- `histofast.run`: Everything a trained model leaves behind: weights, settings, history, metrics, predictions, figures and a report; loading it back safely; predicting new tiles and a Kaggle submission.
- `histofast.sample`: An embedded, **synthetic** H&E-like dataset: five tissue classes, generated procedurally in seconds, deterministic for a seed. It lets every notebook, test and `make demo` run anywhere, with no download.
- `histofast.slides`: Slides and large images: opening them, tissue masks, tile grids, and their tiles streamed through a model.
- `histofast.stain`: Stain normalisation (Reinhard, Macenko, Vahadane) and stain-matrix augmentation, on whole batches, with torch.
- `histofast.stain_kernels`: Macenko's passes over the pixels of uint8 tiles as compiled loops (numba): the CPU path of `histofast.stain`.
- `histofast.tiles`: Reading and checking tiles one by one and in bulk, and the packed array: every tile decoded once into one `uint8` array on disk."""

__version__ = "0.0.1"
