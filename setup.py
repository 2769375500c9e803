"""Build step only: copy the files ser_nb reads at run time (experiment template, report template, data cards) into the
wheel as package data under ser_nb/_resources/, so an installed ser_nb runs studies and reports outside this checkout.
They stay edited where they are (experiments/templates/, reports/, data_cards/); see ser_nb.core.resource_path."""
import shutil
from pathlib import Path
from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = {"templates": ("experiments/templates", "*.ipynb"), "reports": ("reports", "*.ipynb"), "data_cards": ("data_cards", "*.md")}

class BuildWithResources(build_py):
    def run(self):
        super().run()
        here = Path(__file__).resolve().parent
        for kind, (folder, pattern) in RESOURCES.items():
            dst = Path(self.build_lib)/"ser_nb"/"_resources"/kind
            dst.mkdir(parents=True, exist_ok=True)
            for f in sorted((here/folder).glob(pattern)): shutil.copy2(f, dst/f.name)

setup(cmdclass={"build_py": BuildWithResources})
