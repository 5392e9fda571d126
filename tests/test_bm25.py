from assistant.components.bm25 import BM25Index, tokenize


def test_tokenize_stems_and_drops_stopwords():
    assert tokenize("The mentors are Following up") == ["mentor", "follow", "up"]


def test_bm25_ranks_the_matching_document_first():
    index = BM25Index(
        ["how to follow up when a mentor does not reply", "SMART goals have deadlines", "agenda"]
    )
    top = index.top("my mentor never replied, should I follow up?", 3)
    assert top[0][0] == 0
    assert all(score > 0 for _, score in top)


def test_bm25_mask_and_no_match():
    index = BM25Index(["goal deadline", "goal measure"])
    assert index.top("goal", 2, mask=__import__("numpy").array([False, True]))[0][0] == 1
    assert index.top("unrelated words", 2) == []
