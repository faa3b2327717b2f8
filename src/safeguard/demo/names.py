"""Small built-in name lists for synthetic people and places. Combined at random, so no real person is meant."""

from __future__ import annotations

import random

MALE_FIRST = (
    "Adam", "Alfie", "Ben", "Callum", "Connor", "Craig", "Daniel", "Darren", "Dean", "Ellis", "Gareth", "Harry",
    "Jack", "Jamie", "Jason", "Kieran", "Lee", "Liam", "Luke", "Mark", "Martin", "Nathan", "Owen", "Paul",
    "Reece", "Ricky", "Ryan", "Scott", "Shaun", "Stuart", "Tom", "Wayne",
)
FEMALE_FIRST = (
    "Abigail", "Amy", "Becky", "Chloe", "Claire", "Danielle", "Donna", "Ellie", "Emma", "Gemma", "Hannah", "Jade",
    "Jess", "Kayleigh", "Kelly", "Laura", "Leanne", "Lucy", "Megan", "Natalie", "Nicola", "Rachel", "Sarah",
    "Shannon", "Sophie", "Stacey", "Tasha", "Zoe",
)
CHILD_FIRST = (
    "Alfie", "Amelia", "Archie", "Ava", "Charlie", "Ella", "Evie", "Freddie", "George", "Isla", "Jacob", "Lily",
    "Mason", "Mia", "Noah", "Olivia", "Oscar", "Poppy", "Riley", "Ruby", "Theo", "Willow",
)
SURNAMES = (
    "Ashworth", "Barnfield", "Birchall", "Bramley", "Carrow", "Colby", "Dunmore", "Eastham", "Farrier", "Fenwick",
    "Garside", "Greaves", "Hadfield", "Halloway", "Hebden", "Kettering", "Lambley", "Marsden", "Mellor", "Norcliffe",
    "Oakley", "Pickering", "Radcliffe", "Redfern", "Rushworth", "Sadler", "Shelton", "Stanwell", "Thornley",
    "Tolland", "Varley", "Wainwright", "Walmsley", "Whitacre", "Wilding", "Yardley",
)
PLACE_START = ("Bracken", "Harrow", "Kings", "Mill", "Ash", "Thorn", "Elder", "Stone", "Wold", "Fern", "Hazel",
               "Oak")
PLACE_END = ("ford", "mere", "barrow", "bridge", "wick", "ham", "by", "ley", "stead", "combe", "dale", "field")
REGIONS = ("North Moors", "Wessex Vale", "Severn Marches", "Eastern Fens", "Pennine Dales")
TEAM_WORDS = ("North", "South", "East", "West", "Central", "Riverside", "Town", "Valley")
STREETS = ("Acacia Road", "Baker Street", "Canal Side", "Chapel Lane", "Church Walk", "Coronation Avenue",
           "Elm Grove", "High Street", "Meadow Close", "Mill Lane", "Park View", "Queens Road", "Station Road",
           "Victoria Terrace", "Willow Court")


def first_name(rng: random.Random, gender: str, child: bool = False) -> str:
    if child:
        return rng.choice(CHILD_FIRST)
    return rng.choice(FEMALE_FIRST if gender == "female" else MALE_FIRST)


def full_name(rng: random.Random, gender: str, surname: str | None = None, child: bool = False) -> str:
    return f"{first_name(rng, gender, child)} {surname or rng.choice(SURNAMES)}"


def place(rng: random.Random) -> str:
    return rng.choice(PLACE_START) + rng.choice(PLACE_END)


def street_address(rng: random.Random) -> str:
    return f"{rng.randint(1, 180)} {rng.choice(STREETS)}"
