"""Exit 1 unless every PNG given is non-blank: at least 2% of its pixels differ from its commonest colour."""

import sys

import matplotlib.image as mpimg
import numpy as np

MIN_INK = 0.02


def ink_fraction(path: str) -> float:
    pixels = mpimg.imread(path)[..., :3].reshape(-1, 3)
    pixels = np.round(pixels * 255).astype(np.uint8)
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    background = colours[counts.argmax()]
    return float(np.any(np.abs(pixels.astype(int) - background) > 16, axis=1).mean())


if __name__ == "__main__":
    bad = 0
    for path in sys.argv[1:]:
        ink = ink_fraction(path)
        print(f"{path}: {ink:.1%} of pixels differ from the background")
        if ink < MIN_INK:
            print(f"FAIL: {path} is blank")
            bad = 1
    sys.exit(bad)
