"""Realistic synthetic participants (for tests, the benchmark and demo data)."""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from kompis.matching.engine._util import gc_paused
from kompis.matching.engine.model import AVAILABILITY_SLOTS, Gender, MeetingMode, Participant, Role
from kompis.matching.engine.municipalities import municipalities

INTEREST_KEYS: tuple[str, ...] = (
    "fika", "cooking", "football", "hiking", "music", "books", "crafts", "gaming", "nature",
    "board_games", "running", "cycling", "art", "photography", "film", "dancing", "gardening",
    "languages", "travel", "volunteering", "yoga", "swimming", "theatre", "technology", "history",
)  # fmt: skip

#: first languages of newcomers with relative frequencies
NEWCOMER_LANGUAGES: dict[str, float] = {
    "ar": 0.28, "fa": 0.08, "prs": 0.07, "so": 0.08, "ti": 0.06, "uk": 0.12, "en": 0.08,
    "ru": 0.04, "tr": 0.04, "ku": 0.05, "es": 0.03, "am": 0.02, "ps": 0.02, "fr": 0.03,
}  # fmt: skip
#: extra languages established people speak besides Swedish
ESTABLISHED_EXTRA_LANGUAGES: dict[str, float] = {
    "en": 0.80, "de": 0.08, "es": 0.07, "fr": 0.06, "ar": 0.06, "fa": 0.02, "so": 0.01,
    "uk": 0.01, "ru": 0.02, "tr": 0.02, "fi": 0.03, "ku": 0.01,
}  # fmt: skip
LANGUAGES: tuple[str, ...] = tuple(sorted({"sv", *NEWCOMER_LANGUAGES, *ESTABLISHED_EXTRA_LANGUAGES}))

BIG_CITIES: dict[str, float] = {
    "0180": 0.17, "1480": 0.09, "1280": 0.06, "0380": 0.04, "0580": 0.025, "1880": 0.025,
    "0680": 0.02, "1980": 0.02, "1283": 0.02, "2480": 0.015, "2580": 0.012, "0181": 0.015,
    "0182": 0.01, "0184": 0.015, "0186": 0.01, "1290": 0.01, "0780": 0.01, "1380": 0.01,
}  # fmt: skip
MODES: tuple[MeetingMode, ...] = ("physical", "digital", "either")
GENDERS_P: tuple[tuple[Gender, float], ...] = (
    ("woman", 0.52),
    ("man", 0.44),
    ("nonbinary", 0.02),
    ("unspecified", 0.02),
)


def _pick(rng: np.random.Generator, table: dict[str, float], size: int) -> np.ndarray:
    keys = list(table)
    p = np.array([table[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=size, p=p / p.sum())]


def generate(
    n_newcomers: int, n_established: int, seed: int = 0, today: dt.date | None = None
) -> list[Participant]:
    """Random but realistic participants; ids are ``n000001``… and ``e000001``…."""
    with gc_paused():
        return _generate(n_newcomers, n_established, seed, today)


def _generate(n_newcomers: int, n_established: int, seed: int, today: dt.date | None) -> list[Participant]:
    rng = np.random.default_rng(seed)
    today = today or dt.date(2026, 1, 1)
    codes = sorted(municipalities())
    weights = np.full(len(codes), 0.35 / len(codes))
    for c, w in BIG_CITIES.items():
        if c in codes:
            weights[codes.index(c)] += w
    weights /= weights.sum()
    out: list[Participant] = []
    roles: tuple[tuple[Role, int], ...] = (("newcomer", n_newcomers), ("established", n_established))
    for role, n in roles:
        if n == 0:
            continue
        munis = rng.choice(len(codes), size=n, p=weights)
        age = (
            np.clip(rng.gamma(4.0, 9.0, size=n) + 18, 18, 80).astype(int)
            if role == "established"
            else (np.clip(rng.normal(34, 10, size=n), 18, 75).astype(int))
        )
        genders = rng.choice(4, size=n, p=[g[1] for g in GENDERS_P])
        modes = rng.choice(3, size=n, p=[0.30, 0.20, 0.50])
        fam = rng.random(n) < 0.15
        sgo = rng.random(n) < 0.10
        kids = rng.random(n) < np.where(fam, 0.95, 0.25)
        days = rng.integers(0, 730, size=n)
        n_int = rng.integers(1, 6, size=n)
        n_av = rng.integers(0, 4, size=n)
        cap = np.where((role == "established") & (rng.random(n) < 0.08), 2, 1)
        first = _pick(rng, NEWCOMER_LANGUAGES, n)
        extra = _pick(rng, ESTABLISHED_EXTRA_LANGUAGES, n)
        r_sv = rng.random(n)
        r_en = rng.random(n)
        r_extra = rng.random(n)
        for i in range(n):
            if role == "newcomer":
                langs = [str(first[i])]
                if r_en[i] < 0.35 and first[i] != "en":
                    langs.append("en")
                if r_sv[i] < 0.30:
                    langs.append("sv")
            else:
                langs = ["sv"] if r_sv[i] < 0.97 else []
                if r_en[i] < 0.75:
                    langs.append("en")
                if r_extra[i] < 0.25 and extra[i] not in langs:
                    langs.append(str(extra[i]))
                if not langs:
                    langs = ["en"]
            code = codes[munis[i]]
            postal = (
                f"{(int(code) * 7 + int(rng.integers(0, 4))) % 900 + 100:03d}{int(rng.integers(0, 100)):02d}"
            )
            interests = tuple(
                INTEREST_KEYS[j] for j in sorted(rng.choice(len(INTEREST_KEYS), size=n_int[i], replace=False))
            )
            avail = tuple(AVAILABILITY_SLOTS[j] for j in sorted(rng.choice(3, size=n_av[i], replace=False)))
            out.append(
                Participant(
                    id=f"{role[0]}{i + 1:06d}",
                    role=role,
                    birth_year=today.year - int(age[i]),
                    gender=GENDERS_P[genders[i]][0],
                    municipality_code=code,
                    postal_code=postal,
                    languages=tuple(langs),
                    interests=interests,
                    has_children=bool(kids[i]),
                    wants_family_match=bool(fam[i]),
                    meeting_mode=MODES[modes[i]],
                    same_gender_only=bool(sgo[i]) and genders[i] != 3,
                    signed_up=today - dt.timedelta(days=int(days[i])),
                    capacity=int(cap[i]),
                    availability=avail,
                )
            )
    return out


CSV_HEADER = (
    "id", "role", "birth_year", "gender", "municipality_code", "postal_code", "languages", "interests",
    "has_children", "wants_family_match", "meeting_mode", "same_gender_only", "capacity", "signed_up",
    "availability",
)  # fmt: skip


def write_csv(path: str | os.PathLike[str], participants: Sequence[Participant]) -> None:
    """Write participants in the CSV contract read by :mod:`kompis.matching.engine.csvio`."""
    b = {True: "true", False: "false"}
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_HEADER)
        for p in participants:
            w.writerow(
                (
                    p.id, p.role, p.birth_year, p.gender, p.municipality_code, p.postal_code,
                    ";".join(p.languages), ";".join(p.interests), b[p.has_children], b[p.wants_family_match],
                    p.meeting_mode, b[p.same_gender_only], p.capacity, p.signed_up.isoformat(),
                    ";".join(p.availability),
                )
            )  # fmt: skip
