"""Where demo participants live: approximate populations (sampling weights) and postal-code prefixes.

The municipality table has no population column, so POPULATION holds approximate populations (2024, rounded)
of Sweden's ~50 largest municipalities and of every region municipality; every other municipality weighs
DEFAULT_POPULATION (about the median Swedish municipality). Postal codes start with a prefix that is plausible
for the municipality (POSTAL_PREFIXES, e.g. Uppsala 751-757, Luleå 971-977), else for its county
(COUNTY_POSTAL_RANGES), else anything in 100 00-989 99.
"""

from __future__ import annotations

# Approximate populations (2024, rounded to thousands) — used only as sampling weights.
POPULATION: dict[str, int] = {
    # the largest municipalities
    "0180": 984_000,  # Stockholm
    "1480": 600_000,  # Göteborg
    "1280": 362_000,  # Malmö
    "0380": 245_000,  # Uppsala
    "0580": 168_000,  # Linköping
    "1880": 160_000,  # Örebro
    "1980": 158_000,  # Västerås
    "1283": 152_000,  # Helsingborg
    "0581": 145_000,  # Norrköping
    "0680": 145_000,  # Jönköping
    "2480": 131_000,  # Umeå
    "1281": 130_000,  # Lund
    "0126": 115_000,  # Huddinge
    "1490": 115_000,  # Borås
    "0182": 108_000,  # Nacka
    "0484": 107_000,  # Eskilstuna
    "1380": 105_000,  # Halmstad
    "2180": 103_000,  # Gävle
    "0181": 101_000,  # Södertälje
    "2281": 99_000,  # Sundsvall
    "0780": 97_000,  # Växjö
    "0127": 96_000,  # Botkyrka
    "0136": 96_000,  # Haninge
    "1780": 96_000,  # Karlstad
    "1290": 87_000,  # Kristianstad
    "0123": 86_000,  # Järfälla
    "0184": 85_000,  # Solna
    "1384": 85_000,  # Kungsbacka
    "2580": 80_000,  # Luleå
    "2482": 77_000,  # Skellefteå
    "0163": 76_000,  # Sollentuna
    "0160": 75_000,  # Täby
    "1481": 70_000,  # Mölndal
    "0880": 71_000,  # Kalmar
    "1383": 67_000,  # Varberg
    "2380": 65_000,  # Östersund
    "0188": 64_000,  # Norrtälje
    "0980": 61_000,  # Gotland
    "1488": 60_000,  # Trollhättan
    "2080": 60_000,  # Falun
    "1080": 67_000,  # Karlskrona
    "0183": 55_000,  # Sundbyberg
    "1496": 57_000,  # Skövde
    "1485": 57_000,  # Uddevalla
    "2284": 56_000,  # Örnsköldsvik
    "2081": 53_000,  # Borlänge
    "0191": 50_000,  # Sigtuna
    "0120": 47_000,  # Värmdö
    "0138": 50_000,  # Tyresö
    "0139": 31_000,  # Upplands-Bro
    # the smaller region municipalities
    "0330": 20_000,  # Knivsta
    "0381": 47_000,  # Enköping
    "0382": 22_000,  # Östhammar
    "0360": 21_000,  # Tierp
    "0319": 9_500,  # Älvkarleby
    "0305": 22_000,  # Håbo
    "0331": 14_000,  # Heby
    "0162": 33_000,  # Danderyd
    "0115": 35_000,  # Vallentuna
    "0186": 48_000,  # Lidingö
    "0187": 12_000,  # Vaxholm
    "0117": 48_000,  # Österåker
    "0114": 48_000,  # Upplands Väsby
    "2582": 28_000,  # Boden
    "2581": 43_000,  # Piteå
    "2514": 16_000,  # Kalix
    "2560": 8_000,  # Älvsbyn
}
DEFAULT_POPULATION = 15_000

# First three digits of postal codes, per municipality (where known) and per county.
POSTAL_PREFIXES: dict[str, tuple[int, ...]] = {
    "0380": (751, 752, 753, 754, 755, 756, 757),
    "0330": (741,),
    "0381": (745, 749),
    "0382": (742,),
    "0360": (815,),
    "0319": (814,),
    "0305": (746,),
    "0331": (744,),
    "0162": (182,),
    "0160": (183, 187),
    "0115": (186,),
    "0163": (191, 192),
    "0186": (181,),
    "0187": (185,),
    "0117": (184,),
    "0114": (194,),
    "2580": (971, 972, 973, 974, 975, 976, 977),
    "2582": (961,),
    "2581": (941, 943),
    "2514": (952,),
    "2560": (942,),
    "0180": (*range(111, 130), *range(161, 169)),
    "1480": tuple(range(411, 427)),
    "1280": tuple(range(211, 219)),
    "0580": tuple(range(581, 590)),
    "1880": (702, 703),
    "1980": tuple(range(721, 726)),
    "1283": tuple(range(252, 257)),
    "0581": (602, 603),
    "0680": tuple(range(551, 557)),
    "2480": tuple(range(903, 908)),
    "1281": tuple(range(222, 228)),
    "0126": (141,),
    "1490": tuple(range(503, 508)),
    "0182": (131, 132),
    "0484": tuple(range(632, 636)),
    "0127": (145, 146, 147),
    "2180": tuple(range(802, 807)),
    "1380": tuple(range(302, 306)),
    "0181": (151, 152),
    "2281": tuple(range(852, 857)),
    "0780": tuple(range(352, 356)),
    "0136": (136, 137),
    "1780": tuple(range(652, 657)),
    "1290": (291,),
    "1384": (434,),
    "0184": (169, 170, 171),
    "0123": (175, 176, 177),
    "2482": (931,),
    "1481": (431,),
    "2380": (831,),
    "1383": (432,),
    "0188": (761,),
    "1488": (461,),
    "2080": (791,),
    "0183": (172, 173, 174),
    "1485": (451,),
    "2081": (781, 784),
    "0138": (135,),
    "2284": (891,),
    "0880": (392, 393),
    "0980": (621, 622, 623, 624),
    "0191": (195,),
    "0120": (134, 139),
    "0139": (196, 197),
    "1496": (541,),
    "1080": (371,),
}
COUNTY_POSTAL_RANGES: dict[str, tuple[int, int]] = {
    "01": (100, 199),
    "03": (740, 759),
    "04": (611, 649),
    "05": (580, 608),
    "06": (550, 579),
    "07": (340, 365),
    "08": (380, 398),
    "09": (620, 624),
    "10": (370, 379),
    "12": (230, 298),
    "13": (302, 315),
    "14": (440, 549),
    "17": (650, 689),
    "18": (690, 719),
    "19": (721, 739),
    "20": (770, 799),
    "21": (800, 829),
    "22": (850, 896),
    "23": (830, 846),
    "24": (900, 936),
    "25": (940, 984),
}
FALLBACK_POSTAL_RANGE = (100, 989)
