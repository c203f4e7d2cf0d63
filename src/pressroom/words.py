"""The book's own words (headings, labels, links' names) in its language: the one message catalogue.

:data:`CATALOGUE` holds every word Pressroom prints in a book or its preview, by language (en,
fr, de, es, it, pt, nl, pl, ru); :func:`words_for` gives a book's: its language's words (English's
for a key or a language the catalogue lacks), then the book's own from ``[words]`` in book.toml,
which win. Templates get them as ``words`` (``{{ words.contents }}``); the writers and the preview
take them from the same function, so no English is left hard-coded anywhere else.

Chosen from each language's publishing practice: French "Table des matières" and "Cité p.", German
"Inhalt", "Register" and "S.", Polish "s.", Russian "с." for a page.
"""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

KEYS = (
    "contents", "notes", "bibliography", "index", "cited_on_page", "cited_on_pages", "cited",
    "citation", "see", "see_also", "part", "chapter", "figure", "table", "cover", "title_page",
    "copyright", "landmarks", "pages", "print_pages", "start_of_text", "back_to_note", "print_view",
    "print_views", "by", "published_by", "paperback", "ebook", "colophon", "also_by", "series",
    "list_of_figures", "list_of_tables", "on_page",
)

CATALOGUE: dict[str, dict[str, str]] = {
    "en": {
        "on_page": "on p.\u00a0{page}",  # after a cross-reference in print: its target's page
        "list_of_figures": "List of Figures", "list_of_tables": "List of Tables",
        "contents": "Contents", "notes": "Notes", "bibliography": "Bibliography", "index": "Index",
        "cited_on_page": "Cited on p.", "cited_on_pages": "Cited on pp.", "cited": "Cited",
        "citation": "citation", "see": "see", "see_also": "See also", "part": "Part", "chapter": "Chapter",
        "figure": "Figure", "table": "Table", "cover": "Cover", "title_page": "Title page",
        "copyright": "Copyright", "landmarks": "Landmarks", "pages": "Pages",
        "print_pages": "Pages of the print edition", "start_of_text": "Start of the text",
        "back_to_note": "Back to note {number} in the text", "print_view": "Print view",
        "print_views": "Print views",
        "by": 'by {author}', "published_by": 'Published by {publisher}', "paperback": 'paperback', "ebook": 'EPUB',
        "colophon": "Typeset with Pressroom from the author's manuscript.",
        "also_by": 'Also by {author}', "series": 'Series: {series}',
    },
    "fr": {
        "on_page": "p.\u00a0{page}",  # after a cross-reference in print: its target's page
        "list_of_figures": "Table des figures", "list_of_tables": "Liste des tableaux",
        "contents": "Table des matières", "notes": "Notes", "bibliography": "Bibliographie", "index": "Index",
        "cited_on_page": "Cité p.", "cited_on_pages": "Cité p.", "cited": "Cité",
        "citation": "citation", "see": "voir", "see_also": "Voir aussi", "part": "Partie", "chapter": "Chapitre",
        "figure": "Figure", "table": "Tableau", "cover": "Couverture", "title_page": "Page de titre",
        "copyright": "Mentions légales", "landmarks": "Repères", "pages": "Pages",
        "print_pages": "Pages de l’édition imprimée", "start_of_text": "Début du texte",
        "back_to_note": "Retour à l’appel de la note {number}", "print_view": "Aperçu d’impression",
        "print_views": "Aperçus d’impression",
        "by": 'par {author}', "published_by": 'Publié par {publisher}', "paperback": 'broché', "ebook": 'EPUB',
        "colophon": 'Composé avec Pressroom d’après le manuscrit de l’auteur.',
        "also_by": 'Du même auteur', "series": 'Collection : {series}',
    },
    "de": {
        "on_page": "auf S.\u00a0{page}",  # after a cross-reference in print: its target's page
        "list_of_figures": "Abbildungsverzeichnis", "list_of_tables": "Tabellenverzeichnis",
        "contents": "Inhalt", "notes": "Anmerkungen", "bibliography": "Literaturverzeichnis", "index": "Register",
        "cited_on_page": "Zitiert auf S.", "cited_on_pages": "Zitiert auf S.", "cited": "Zitiert",
        "citation": "Zitat", "see": "siehe", "see_also": "Siehe auch", "part": "Teil", "chapter": "Kapitel",
        "figure": "Abbildung", "table": "Tabelle", "cover": "Umschlag", "title_page": "Titelseite",
        "copyright": "Impressum", "landmarks": "Orientierungspunkte", "pages": "Seiten",
        "print_pages": "Seiten der Druckausgabe", "start_of_text": "Beginn des Textes",
        "back_to_note": "Zurück zu Anmerkung {number} im Text", "print_view": "Druckansicht",
        "print_views": "Druckansichten",
        "by": 'von {author}', "published_by": 'Erschienen bei {publisher}', "paperback": 'Taschenbuch', "ebook": 'EPUB',
        "colophon": 'Gesetzt mit Pressroom nach dem Manuskript des Autors.',
        "also_by": 'Von {author} außerdem erschienen', "series": 'Reihe: {series}',
    },
    "es": {
        "on_page": "en la p.\u00a0{page}",  # after a cross-reference in print: its target's page
        "list_of_figures": "Índice de figuras", "list_of_tables": "Índice de tablas",
        "contents": "Índice", "notes": "Notas", "bibliography": "Bibliografía", "index": "Índice alfabético",
        "cited_on_page": "Citado en p.", "cited_on_pages": "Citado en pp.", "cited": "Citado",
        "citation": "cita", "see": "véase", "see_also": "Véase también", "part": "Parte", "chapter": "Capítulo",
        "figure": "Figura", "table": "Tabla", "cover": "Cubierta", "title_page": "Portada",
        "copyright": "Créditos", "landmarks": "Puntos de referencia", "pages": "Páginas",
        "print_pages": "Páginas de la edición impresa", "start_of_text": "Comienzo del texto",
        "back_to_note": "Volver a la nota {number} en el texto", "print_view": "Vista de impresión",
        "print_views": "Vistas de impresión",
        "by": 'por {author}', "published_by": 'Publicado por {publisher}', "paperback": 'rústica', "ebook": 'EPUB',
        "colophon": 'Compuesto con Pressroom a partir del manuscrito del autor.',
        "also_by": 'Otros libros de {author}', "series": 'Colección: {series}',
    },
    "it": {
        "on_page": "a p.\u00a0{page}",  # after a cross-reference in print: its target's page
        "list_of_figures": "Indice delle figure", "list_of_tables": "Indice delle tabelle",
        "contents": "Indice", "notes": "Note", "bibliography": "Bibliografia", "index": "Indice analitico",
        "cited_on_page": "Citato a p.", "cited_on_pages": "Citato alle pp.", "cited": "Citato",
        "citation": "citazione", "see": "vedi", "see_also": "Vedi anche", "part": "Parte", "chapter": "Capitolo",
        "figure": "Figura", "table": "Tabella", "cover": "Copertina", "title_page": "Frontespizio",
        "copyright": "Colophon", "landmarks": "Punti di riferimento", "pages": "Pagine",
        "print_pages": "Pagine dell’edizione a stampa", "start_of_text": "Inizio del testo",
        "back_to_note": "Torna alla nota {number} nel testo", "print_view": "Anteprima di stampa",
        "print_views": "Anteprime di stampa",
        "by": 'di {author}', "published_by": 'Pubblicato da {publisher}', "paperback": 'brossura', "ebook": 'EPUB',
        "colophon": 'Composto con Pressroom dal manoscritto dell’autore.',
        "also_by": 'Dello stesso autore', "series": 'Collana: {series}',
    },
    "pt": {
        "on_page": "na p.\u00a0{page}",  # after a cross-reference in print: its target's page
        "list_of_figures": "Lista de figuras", "list_of_tables": "Lista de tabelas",
        "contents": "Índice", "notes": "Notas", "bibliography": "Bibliografia", "index": "Índice remissivo",
        "cited_on_page": "Citado na p.", "cited_on_pages": "Citado nas pp.", "cited": "Citado",
        "citation": "citação", "see": "ver", "see_also": "Ver também", "part": "Parte", "chapter": "Capítulo",
        "figure": "Figura", "table": "Tabela", "cover": "Capa", "title_page": "Folha de rosto",
        "copyright": "Ficha técnica", "landmarks": "Pontos de referência", "pages": "Páginas",
        "print_pages": "Páginas da edição impressa", "start_of_text": "Início do texto",
        "back_to_note": "Voltar à nota {number} no texto", "print_view": "Vista de impressão",
        "print_views": "Vistas de impressão",
        "by": 'por {author}', "published_by": 'Publicado por {publisher}', "paperback": 'brochura', "ebook": 'EPUB',
        "colophon": 'Composto com Pressroom a partir do manuscrito do autor.',
        "also_by": 'Do mesmo autor', "series": 'Coleção: {series}',
    },
    "nl": {
        "on_page": "op p.\u00a0{page}",  # after a cross-reference in print: its target's page
        "list_of_figures": "Lijst van figuren", "list_of_tables": "Lijst van tabellen",
        "contents": "Inhoud", "notes": "Noten", "bibliography": "Bibliografie", "index": "Register",
        "cited_on_page": "Geciteerd op p.", "cited_on_pages": "Geciteerd op p.", "cited": "Geciteerd",
        "citation": "citaat", "see": "zie", "see_also": "Zie ook", "part": "Deel", "chapter": "Hoofdstuk",
        "figure": "Figuur", "table": "Tabel", "cover": "Omslag", "title_page": "Titelpagina",
        "copyright": "Colofon", "landmarks": "Oriëntatiepunten", "pages": "Pagina’s",
        "print_pages": "Pagina’s van de gedrukte uitgave", "start_of_text": "Begin van de tekst",
        "back_to_note": "Terug naar noot {number} in de tekst", "print_view": "Afdrukweergave",
        "print_views": "Afdrukweergaven",
        "by": 'door {author}', "published_by": 'Uitgegeven door {publisher}', "paperback": 'paperback', "ebook": 'EPUB',
        "colophon": 'Gezet met Pressroom naar het manuscript van de auteur.',
        "also_by": 'Ook van {author}', "series": 'Reeks: {series}',
    },
    "pl": {
        "on_page": "na s.\u00a0{page}",  # after a cross-reference in print: its target's page
        "list_of_figures": "Spis ilustracji", "list_of_tables": "Spis tabel",
        "contents": "Spis treści", "notes": "Przypisy", "bibliography": "Bibliografia", "index": "Indeks",
        "cited_on_page": "Cytowane na s.", "cited_on_pages": "Cytowane na s.", "cited": "Cytowane",
        "citation": "cytat", "see": "zob.", "see_also": "Zob. też", "part": "Część", "chapter": "Rozdział",
        "figure": "Rycina", "table": "Tabela", "cover": "Okładka", "title_page": "Strona tytułowa",
        "copyright": "Prawa autorskie", "landmarks": "Punkty orientacyjne", "pages": "Strony",
        "print_pages": "Strony wydania drukowanego", "start_of_text": "Początek tekstu",
        "back_to_note": "Powrót do przypisu {number} w tekście", "print_view": "Widok wydruku",
        "print_views": "Widoki wydruku",
        "by": '{author}', "published_by": 'Wydawca: {publisher}', "paperback": 'wydanie broszurowe', "ebook": 'EPUB',
        "colophon": 'Złożono programem Pressroom z rękopisu autora.',
        "also_by": 'Tego autora', "series": 'Seria: {series}',
    },
    "ru": {
        "on_page": "на с.\u00a0{page}",  # after a cross-reference in print: its target's page
        "list_of_figures": "Список иллюстраций", "list_of_tables": "Список таблиц",
        "contents": "Содержание", "notes": "Примечания", "bibliography": "Библиография", "index": "Указатель",
        "cited_on_page": "Цитируется на с.", "cited_on_pages": "Цитируется на с.", "cited": "Цитируется",
        "citation": "цитата", "see": "см.", "see_also": "См. также", "part": "Часть", "chapter": "Глава",
        "figure": "Рисунок", "table": "Таблица", "cover": "Обложка", "title_page": "Титульный лист",
        "copyright": "Выходные данные", "landmarks": "Ориентиры", "pages": "Страницы",
        "print_pages": "Страницы печатного издания", "start_of_text": "Начало текста",
        "back_to_note": "Назад к примечанию {number} в тексте", "print_view": "Вид для печати",
        "print_views": "Виды для печати",
        "by": '{author}', "published_by": 'Издатель: {publisher}', "paperback": 'в обложке', "ebook": 'EPUB',
        "colophon": 'Набрано в Pressroom по рукописи автора.',
        "also_by": 'Другие книги автора', "series": 'Серия: {series}',
    },
}


def language_of(tag: str) -> str:
    """The language subtag of a BCP 47 tag, lower case: "fr-FR" → "fr"."""
    return tag.replace("_", "-").split("-")[0].lower()


def words_for(language: str, overrides: tuple[tuple[str, str], ...] = ()) -> Mapping[str, str]:
    """Every word of :data:`KEYS` for a book in ``language`` (a BCP 47 tag): the catalogue's for
    its language, English's where it has none, then ``overrides`` ((key, text) pairs from the
    book's ``[words]``) on top. Read-only."""
    return _words(language_of(language), overrides)


def book_words(book) -> Mapping[str, str]:
    """The words of ``book`` (a model.Book): its language's, with its ``[words]`` on top."""
    return words_for(book.metadata.language, book.settings.words)


@lru_cache(maxsize=32)
def _words(language: str, overrides: tuple[tuple[str, str], ...]) -> Mapping[str, str]:
    words = {**CATALOGUE["en"], **CATALOGUE.get(language, {}), **dict(overrides)}
    return MappingProxyType(words)
