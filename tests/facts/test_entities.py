from facts.entities import Registry, find_mentions, name_similarity


def _reg(*sentences):
    r = Registry()
    for s in sentences:
        for m in find_mentions(s):
            r.add_mention(m)
    return r


def _resolve(r, sentence):
    return [r.resolve(m) for m in find_mentions(sentence)]


def test_role_extracted():
    ms = find_mentions("US Treasury Secretary Basant said the talks were productive.")
    m = [m for m in ms if m.text == "Basant"][0]
    assert m.role["head"] == "leader" and "treasury" in m.role["domain"]


def test_transliteration_with_same_role_merges():
    r = _reg("US Treasury Secretary Basant spoke.", "Commerce Secretary Rutnick and Trade Representative Grille stayed.")
    basant = _resolve(r, "Treasury Secretary Basant spoke.")[0]
    assert _resolve(r, "Treasury Secretary Scott Bessent left London.")[0] == basant
    assert _resolve(r, "Commerce Secretary Howard Lutnick told reporters.")[0] == _resolve(r, "Rutnick said.")[0]
    assert _resolve(r, "US Trade Representative Jamieson Greer said more.")[0] == _resolve(r, "Grille said.")[0]


def test_title_only_reference():
    r = _reg("US Treasury Secretary Basant spoke.", "US Commerce Secretary Rutnick spoke.")
    assert _resolve(r, "The Treasury chief flew home.") == _resolve(r, "Basant spoke.")
    assert _resolve(r, "the US commerce secretary stayed.") == _resolve(r, "Rutnick spoke.")


def test_similar_name_different_role_does_not_merge():
    r = _reg("Finance Minister Maria Okafor resigned.")
    # same surname-like spelling but a different role: a different person
    assert _resolve(r, "Football coach Marian Okafer was sacked.")[0] is None
    # without a conflicting role a near-identical spelling still merges
    assert _resolve(r, "Okafor said she would stay.")[0] is not None


def test_surname_only_mention():
    r = _reg("Chief executive Maria Okafor will step down.")
    assert _resolve(r, "Okafor said the board agreed.")[0] == _resolve(r, "Maria Okafor spoke.")[0]


def test_name_similarity_phonetic():
    assert name_similarity("Basant", "Bessent") > 0.7
    assert name_similarity("Rutnick", "Lutnick") > 0.8
    assert name_similarity("Smith", "Okafor") < 0.5
