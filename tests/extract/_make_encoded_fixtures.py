"""Regenerate the non-UTF-8 fixtures (text written for these tests).

Run: .venv/bin/python tests/extract/_make_encoded_fixtures.py
"""
from pathlib import Path

HERE = Path(__file__).resolve().parent / "fixtures"

RU = """<html lang="ru"><head>{meta}<title>Новый мост через реку откроют летом</title></head>
<body><nav><a href="/">Главная</a> <a href="/news">Новости</a></nav>
<div class="article-text">
<h1>Новый мост через реку откроют летом</h1>
<p>Строители завершили укладку последнего пролёта нового пешеходного моста, который соединит старый город с парком на другом берегу.</p>
<p>По словам инженеров, осталось установить перила и освещение, а также проверить конструкцию под нагрузкой. Открытие запланировано на начало июля.</p>
<p>Жители давно просили построить переход, потому что до ближайшего моста приходится идти почти два километра.</p>
</div>
<div class="related"><a href="/1">Ремонт набережной продлится до осени</a></div>
</body></html>"""

JA = """<html lang="ja"><head><meta charset="Shift_JIS"><title>駅前に新しい図書館が開館</title></head>
<body><div class="header-menu"><a href="/">ホーム</a></div>
<article><div class="article-body">
<p>駅前の再開発地区に、市内で三つ目となる図書館が土曜日に開館した。初日には開館前から多くの親子連れが列を作った。</p>
<p>新しい図書館は五階建てで、子ども向けの読書室や学習スペースのほか、屋上には小さな庭園も設けられている。</p>
<p>市の担当者は、通勤や通学の途中でも気軽に立ち寄れる場所にしたいと話している。</p>
</div></article>
<div class="share-buttons"><a href="#">シェアする</a></div>
</body></html>"""

FR = """<html lang="fr"><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<title>Le marché couvert rouvre ses portes</title></head>
<body><div id="content"><div class="post-content">
<p>Après dix-huit mois de travaux, le marché couvert du centre-ville a rouvert ses portes samedi matin, à la grande joie des commerçants et des habitués.</p>
<p>La charpente métallique a été entièrement restaurée et la verrière, très abîmée par la grêle, a été remplacée à l'identique.</p>
<p>« Nous avons retrouvé nos clients dès la première heure », se réjouit une fromagère installée là depuis vingt ans.</p>
</div></div></body></html>"""

ES = """<html lang="es"><head><meta charset="utf-8"><title>La biblioteca amplía su horario</title></head>
<body><div class="entry-content">
<p>La biblioteca municipal abrirá también los domingos por la tarde a partir de octubre, según anunció el ayuntamiento este miércoles.</p>
<p>La ampliación del horario responde a una petición de los estudiantes, que reclamaban más espacios de estudio durante los fines de semana.</p>
<p>El concejal de Cultura explicó que se contratará a dos personas más para atender el servicio en los nuevos turnos.</p>
</div></body></html>"""


def main() -> None:
    HERE.mkdir(exist_ok=True)
    # windows-1251 declared only in the HTTP header (the test passes the header)
    (HERE / "cp1251_header.html").write_bytes(RU.format(meta="").encode("cp1251"))
    # windows-1251 declared in an http-equiv meta tag
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    (HERE / "cp1251_meta.html").write_bytes(RU.format(meta=meta).encode("cp1251"))
    (HERE / "shift_jis.html").write_bytes(JA.encode("cp932"))
    # wrong declarations: says latin-1 but is UTF-8; says UTF-8 but is windows-1252
    (HERE / "wrong_charset_utf8.html").write_bytes(FR.encode("utf-8"))
    (HERE / "wrong_charset_cp1252.html").write_bytes(ES.encode("cp1252"))


if __name__ == "__main__":
    main()
