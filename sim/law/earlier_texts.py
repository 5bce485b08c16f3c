# ruff: noqa: E501  (quoted Japanese text: each character counts double-width)
"""The Act's earlier texts, quoted: the provisions the earlier versions of the rulebook cite.

The shipped XML is the current text (as amended by Act No. 76 of 2015, in force 2016-03-29).
Deployments from 1992 to 2016 were decided under earlier texts, numbered differently: before 2016
the tasks were Article 3, item (iii), sub-items イ to レ (cited here in English order, (a) to (q)),
relief was Art. 3(ii), election monitoring Art. 3(ii-2) (from 1998), the cap Art. 18.  A citation
of an earlier text carries its text's tag, ``Art. 18 [2001 text]``; :mod:`sim.law.citations`
resolves it here, where each provision is registered with its words in Japanese, the project's
English rendering, and where the words were read.

**Where the words come from.**  The full text between the 2001 and the 2015 amendments was read in
the e-Gov consolidation as last amended by Act No. 118 of 2006 (:data:`TEXT_2006`); the 2006 act
renamed the Defense Agency a ministry and changed nothing the model asks.  The 1998 and 2001
amendments each changed three things (:data:`sim.law.versions.AMENDMENTS`, from the Cabinet
Office's own summaries): the provisions below that neither touched stood in the 1992 and 1998
texts in the words quoted, and each entry says which texts it belongs to.  The 1992 freeze
(Supplementary Provisions Art. 2, deleted in 2001) was not read in its own words: it is quoted as
the Ministry of Defense's White Paper of 2002 describes it, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT_2006 = "https://github.com/takahashim/anpo-revision/blob/c7077695fa51ca020b56e767084edcfe8fdf4bc7/data/H04HO079.md"
"""The e-Gov text of Act No. 79 of 1992 as last amended by Act No. 118 of 2006 (saved in 2015)."""
WHITE_PAPER_2002 = "http://www.clearing.mod.go.jp/hakusho_data/2002/chu/main/ac144022.htm"
"""Defense of Japan 2002 (Ministry of Defense White Paper), on the freeze of the PKF core tasks."""

TAGS = ("1992 text", "1998 text", "2001 text")
"""The earlier texts, by the year of the act that made each (the original Act, 1998, 2001)."""
_ALL = frozenset(TAGS)
_FROM_1998 = frozenset({"1998 text", "2001 text"})
_BEFORE_2001 = frozenset({"1992 text", "1998 text"})


@dataclass(frozen=True)
class EarlierProvision:
    """One provision of an earlier text, with its words and the texts it stood in."""

    citation: str
    """As the earlier text numbers it, without the tag: ``Art. 6(13)(ii)``."""
    texts: frozenset[str]
    """The tags of the texts it stood in (``1992 text`` ...)."""
    original: str
    """Its words in Japanese, as read at ``url``."""
    words: str
    """The project's English rendering of ``original``."""
    url: str = TEXT_2006
    note: str = ""
    """What a reader should know: a clause another text lacked, or words that are a description."""


def _p(citation: str, texts: frozenset[str], original: str, words: str, note: str = "", url: str = TEXT_2006):
    return EarlierProvision(citation, texts, original, words, url, note)


_TASKS_ORIGINAL = {
    "a": ("武力紛争の停止の遵守状況の監視又は紛争当事者間で合意された軍隊の再配置若しくは撤退若しくは武装解除の履行の監視",
          "monitoring observance of the cessation of armed conflict, or of redeployment, withdrawal or disarmament agreed among the parties"),
    "b": ("緩衝地帯その他の武力紛争の発生の防止のために設けられた地域における駐留及び巡回",
          "stationing and patrol in buffer zones and other areas set up to prevent armed conflict"),
    "c": ("車両その他の運搬手段又は通行人による武器（武器の部品を含む。ニにおいて同じ。）の搬入又は搬出の有無の検査又は確認",
          "inspecting or confirming whether weapons are carried in or out by vehicles, other means of transport or passers-by"),
    "d": ("放棄された武器の収集、保管又は処分", "collecting, storing or disposing of abandoned weapons"),
    "e": ("紛争当事者が行う停戦線その他これに類する境界線の設定の援助",
          "assisting the parties in setting ceasefire lines and similar boundaries"),
    "f": ("紛争当事者間の捕虜の交換の援助", "assisting the exchange of prisoners of war among the parties"),
    "g": ("議会の議員の選挙、住民投票その他これらに類する選挙若しくは投票の公正な執行の監視又はこれらの管理",
          "monitoring the fair conduct of, or administering, elections of members of assemblies, referendums and similar votes"),
    "h": ("警察行政事務に関する助言若しくは指導又は警察行政事務の監視",
          "advice or guidance on, or monitoring of, police administration"),
    "i": ("チに掲げるもののほか、行政事務に関する助言又は指導",
          "beyond (h), advice or guidance on administrative affairs"),
    "j": ("医療（防疫上の措置を含む。）", "medical care (including epidemic prevention)"),
    "k": ("被災民の捜索若しくは救出又は帰還の援助", "searching for or rescuing affected people, or assisting their return"),
    "l": ("被災民に対する食糧、衣料、医薬品その他の生活関連物資の配布",
          "distributing food, clothing, medicine and other daily necessities to affected people"),
    "m": ("被災民を収容するための施設又は設備の設置", "installing facilities or equipment to house affected people"),
    "n": ("紛争によって被害を受けた施設又は設備であって被災民の生活上必要なものの復旧又は整備のための措置",
          "restoring or maintaining facilities damaged by conflict that affected people need for daily life"),
    "o": ("紛争によって汚染その他の被害を受けた自然環境の復旧のための措置",
          "restoring the natural environment polluted or otherwise damaged by conflict"),
    "p": ("イからヨまでに掲げるもののほか、輸送、保管（備蓄を含む。）、通信、建設又は機械器具の据付け、検査若しくは修理",
          "beyond (a) to (o), transport, storage (including stockpiling), communications, construction, or installing, "
          "inspecting or repairing machinery"),
    "q": ("イからタまでに掲げる業務に類するものとして政令で定める業務",
          "operations specified by Cabinet Order as similar to those of (a) to (p)"),
}  # fmt: skip
"""Art. 3(iii), sub-items イ to レ of the texts before 2016, in English order (a) to (q)."""

PROVISIONS_LIST: tuple[EarlierProvision, ...] = (
    _p(
        "Art. 3(i)",
        _ALL,
        "国際連合平和維持活動　国際連合の総会又は安全保障理事会が行う決議に基づき、武力紛争の当事者（以下「紛争当事者」という。）間の"
        "武力紛争の再発の防止に関する合意の遵守の確保、...武力紛争の停止及びこれを維持するとの紛争当事者間の合意があり、かつ、当該活動が"
        "行われる地域の属する国及び紛争当事者の当該活動が行われることについての同意がある場合（武力紛争が発生していない場合においては、"
        "当該活動が行われる地域の属する国の当該同意がある場合）に、...いずれの紛争当事者にも偏ることなく実施されるものをいう。",
        "United Nations peacekeeping operations: operations under UN authority, on a resolution of the General Assembly or "
        "the Security Council, where the parties have agreed to a ceasefire and the host state and the parties consent (where "
        "no armed conflict has arisen, where the host state consents), conducted without favouring any party.",
        "Two cases only: a ceasefire with the parties' consent (today's sub-type (a)) and no conflict yet, with the host's "
        "consent (today's (c)); today's (b), conflict over and no parties left, came in 2016.",
    ),
    _p(
        "Art. 3(ii)",
        _ALL,
        "人道的な国際救援活動　...紛争によって被害を受け若しくは受けるおそれがある住民その他の者（以下「被災民」という。）の救援のために"
        "又は紛争によって生じた被害の復旧のために人道的精神に基づいて行われる活動であって、当該活動が行われる地域の属する国の当該活動が"
        "行われることについての同意があり、...",
        "International humanitarian relief operations: operations in a humanitarian spirit to relieve people affected by a "
        "conflict or to restore the damage it caused, with the consent of the host state (and, where it is a party, the "
        "parties' ceasefire agreement).",
    ),
    _p(
        "Art. 3(ii-2)",
        _FROM_1998,
        "国際的な選挙監視活動　国際連合の総会若しくは安全保障理事会が行う決議又は別表第二に掲げる国際機関が行う要請に基づき、紛争によって"
        "混乱を生じた地域における民主的な手段による統治組織の設立を目的とする選挙又は投票の公正な執行を確保するために行われる活動であって、"
        "当該活動が行われる地域の属する国の当該活動が行われることについての同意があり、...",
        "International election monitoring operations: operations, on a UN resolution or the request of an international "
        "organization of Appended Table 2, to ensure fair elections or voting for establishing democratic government in an "
        "area in turmoil from a conflict, with the consent of the host state.",
        "Added by the 1998 amendment (Act No. 102 of 1998); before it election monitoring was a task of UN peacekeeping "
        "operations only (sub-item (g)).",
    ),
    _p(
        "Art. 3(iii)",
        _ALL,
        "国際平和協力業務　国際連合平和維持活動のために実施される業務で次に掲げるもの、人道的な国際救援活動のために実施される業務で次の"
        "ヌからレまでに掲げるもの及び国際的な選挙監視活動のために実施される業務で次のト及びレに掲げるもの（これらの業務にそれぞれ附帯する"
        "業務を含む。以下同じ。）であって、海外で行われるものをいう。",
        "International peace cooperation assignments: for UN peacekeeping operations, the operations below; for "
        "international humanitarian relief operations, (j) to (q); for international election monitoring operations, (g) "
        "and (q); conducted overseas.",
        "The words are the 1998-2015 texts'; the 1992 text had no clause for election monitoring operations, which the 1998 "
        "amendment added.",
    ),
    *(_p(f"Art. 3(iii)({letter})", _ALL, original, words) for letter, (original, words) in _TASKS_ORIGINAL.items()),
    _p(
        "Art. 5(8)",
        _ALL,
        "本部に、政令で定めるところにより、実施計画ごとに、期間を定めて、自ら国際平和協力業務を行うとともに海外において前条第二項第三号に"
        "掲げる事務を行う組織として、協力隊を置くことができる。",
        "A Corps may be established in the Headquarters for each implementation plan, for a fixed period, to conduct the "
        "assignments itself.",
    ),
    _p(
        "Art. 6(1)",
        _ALL,
        "内閣総理大臣は、我が国として国際平和協力業務を実施することが適当であると認める場合であって、次に掲げる同意があるときは、国際平和協力"
        "業務を実施すること及び実施計画の案につき閣議の決定を求めなければならない。",
        "When the Prime Minister finds it appropriate for Japan to implement assignments and the following consent exists, "
        "he must seek a Cabinet decision on implementing them and on the draft implementation plan.",
    ),
    _p(
        "Art. 6(1)(i)",
        _ALL,
        "国際連合平和維持活動のために実施する国際平和協力業務については、紛争当事者及び当該活動が行われる地域の属する国の当該業務の実施に"
        "ついての同意",
        "for assignments for UN peacekeeping operations, the consent of the parties and of the host state to their implementation",
    ),
    _p(
        "Art. 6(1)(ii)",
        _ALL,
        "人道的な国際救援活動のために実施する国際平和協力業務については、当該活動が行われる地域の属する国の当該業務の実施についての同意",
        "for assignments for international humanitarian relief operations, the consent of the host state",
    ),
    _p(
        "Art. 6(1)(iii)",
        _FROM_1998,
        "国際的な選挙監視活動のために実施する国際平和協力業務については、当該活動が行われる地域の属する国の当該業務の実施についての同意",
        "for assignments for international election monitoring operations, the consent of the host state",
    ),
    _p(
        "Art. 6(2)(ii)",
        _ALL,
        "協力隊の設置その他当該国際平和協力業務の実施に関する次に掲げる事項",
        "the establishment of the Corps and the following matters on implementing the assignments",
    ),
    _p(
        "Art. 6(2)(ii)(b)",
        _ALL,
        "派遣先国及び国際平和協力業務を行うべき期間",
        "the receiving country and the period of the assignments",
    ),
    _p(
        "Art. 6(5)",
        _ALL,
        "海上保安庁の船舶又は航空機を用いて行われる国際平和協力業務は、第三条第三号トからタまでに掲げる業務又はこれらの業務に類するものと"
        "して同号レの政令で定める業務であって、...海上保安庁の任務遂行に支障を生じない限度において、実施計画に定めるものとする。",
        "Assignments with Japan Coast Guard vessels or aircraft are specified from among (g) to (p) of Art. 3(iii) and those "
        "similar under (q).",
    ),
    _p(
        "Art. 6(6)",
        _ALL,
        "自衛隊の部隊等が行う国際平和協力業務は、第三条第三号イからヘまでに掲げる業務、同号ヌからタまでに掲げる業務又はこれらの業務に類する"
        "ものとして同号レの政令で定める業務であって自衛隊の部隊等が行うことが適当であると認められるもののうちから、自衛隊の主たる任務の遂行に"
        "支障を生じない限度において、実施計画に定めるものとする。",
        "Assignments of SDF units are specified from among (a) to (f) and (j) to (p) of Art. 3(iii) and those similar under "
        "(q), to the extent they do not hinder the SDF's main missions.",
    ),
    _p(
        "Art. 6(7)",
        _ALL,
        "自衛隊の部隊等が行う国際平和協力業務であって第三条第三号イからヘまでに掲げるもの又はこれらの業務に類するものとして同号レの政令で"
        "定めるものについては、内閣総理大臣は、当該国際平和協力業務に従事する自衛隊の部隊等の海外への派遣の開始前に、...国会の承認を得な"
        "ければならない。ただし、国会が閉会中の場合又は衆議院が解散されている場合には、...派遣の開始後最初に召集される国会において、遅滞なく、"
        "その承認を求めなければならない。",
        "For assignments of SDF units under (a) to (f) of Art. 3(iii), or similar ones under (q), the Prime Minister must "
        "obtain the Diet's approval before the units' dispatch commences; if the Diet is not in session or the House of "
        "Representatives is dissolved, at the first session convened after the dispatch commences, without delay.",
    ),
    _p(
        "Art. 6(8)",
        _ALL,
        "前項本文の規定により内閣総理大臣から国会の承認を求められた場合には、先議の議院にあっては...七日以内に、後議の議院にあっては...七日"
        "以内に、それぞれ議決するよう努めなければならない。",
        "Approval sought under the main clause: each House must endeavour to decide within seven days, excluding recess.",
    ),
    _p(
        "Art. 6(9)",
        _ALL,
        "政府は、第七項ただし書の場合において不承認の議決があったときは、遅滞なく、同項の国際平和協力業務を終了させなければならない。",
        "Disapproval in the case of the proviso: the Government must end those assignments without delay.",
    ),
    _p(
        "Art. 6(10)",
        _ALL,
        "第七項の国際平和協力業務については、同項の規定による国会の承認を得た日から二年を経過する日を超えて引き続きこれを行おうとするときは、"
        "内閣総理大臣は、当該日の三十日前の日から当該日までの間に、...国会に付議して、その承認を求めなければならない。...",
        "To continue the paragraph (7) assignments beyond two years from the approval, approval is sought in the thirty "
        "days up to that day (or at the first session convened after).",
    ),
    _p(
        "Art. 6(11)",
        _ALL,
        "政府は、前項の場合において不承認の議決があったときは、遅滞なく、第七項の国際平和協力業務を終了させなければならない。",
        "A continuation disapproved: the assignments end without delay.",
    ),
    _p(
        "Art. 6(12)",
        _ALL,
        "前二項の規定は、国会の承認を得て第七項の国際平和協力業務を継続した後、更に二年を超えて当該国際平和協力業務を引き続き行おうとする"
        "場合について準用する。",
        "The same for every further two years.",
    ),
    _p(
        "Art. 6(13)",
        _ALL,
        "第一項（各号を除く。）及び第三項の規定は、実施計画の変更（次に掲げる場合に行うべき国際平和協力業務に従事する者の海外への派遣の終了"
        "に係る変更を含む。）について準用する。...",
        "Paragraphs (1) (less its items) and (3) apply to changes of the plan, including a change ending the dispatch in the "
        "cases below.",
    ),
    _p(
        "Art. 6(13)(i)",
        _ALL,
        "国際連合平和維持活動のために実施する国際平和協力業務については、第三条第一号に規定する合意若しくは同意若しくは第一項第一号に規定する"
        "同意が存在しなくなったと認められる場合又は当該活動がいずれの紛争当事者にも偏ることなく実施されなくなったと認められる場合",
        "UN peacekeeping operations: the agreement or consent of Art. 3(i) or 6(1)(i) no longer exists, or the operation is "
        "no longer conducted impartially.",
    ),
    _p(
        "Art. 6(13)(ii)",
        _ALL,
        "人道的な国際救援活動のために実施する国際平和協力業務については、第三条第二号に規定する同意若しくは合意又は第一項第二号に規定する"
        "同意が存在しなくなったと認められる場合",
        "International humanitarian relief operations: the consent or agreement of Art. 3(ii) or 6(1)(ii) no longer exists.",
    ),
    _p(
        "Art. 6(13)(iii)",
        _FROM_1998,
        "国際的な選挙監視活動のために実施する国際平和協力業務については、第三条第二号の二に規定する同意若しくは合意又は第一項第三号に規定"
        "する同意が存在しなくなったと認められる場合",
        "International election monitoring operations: the consent or agreement of Art. 3(ii-2) or 6(1)(iii) no longer exists.",
    ),
    _p(
        "Art. 7(i)",
        _ALL,
        "実施計画の決定又は変更があったとき　当該決定又は変更に係る実施計画の内容",
        "when a plan is decided or changed: its content",
    ),
    _p(
        "Art. 7(ii)",
        _ALL,
        "実施計画に定める国際平和協力業務が終了したとき　当該国際平和協力業務の実施の結果",
        "when the assignments end: their results",
    ),
    _p(
        "Art. 7(iii)",
        _ALL,
        "実施計画に定める国際平和協力業務を行う期間に係る変更があったとき　当該変更前の期間における当該国際平和協力業務の実施の状況",
        "when the period changes: the implementation status during the period before the change",
    ),
    _p(
        "Art. 8(1)",
        _ALL,
        "本部長は、実施計画に従い、国際平和協力業務を実施するため、...実施要領を作成し、及び必要に応じこれを変更するものとする。",
        "The Chief prepares, and changes as needed, implementation guidelines under the plan.",
    ),
    _p(
        "Art. 8(1)(vi)",
        _ALL,
        "第六条第十三項各号に掲げる場合において国際平和協力業務に従事する者が行うべき国際平和協力業務の中断に関する事項",
        "the interruption of the assignments in the cases of the items of Art. 6(13)",
    ),
    _p(
        "Art. 8(1)(vii)",
        _ALL,
        "その他本部長が当該国際平和協力業務の実施のために必要と認める事項",
        "other matters the Chief finds necessary for implementing the assignments",
        "No item on temporary suspension to avoid danger before 2016 (today's Art. 8(1)(viii)): the model cites this "
        "catch-all item for a suspension under the earlier texts (docs/law.md).",
    ),
    _p(
        "Art. 9(1)",
        _ALL,
        "協力隊は、実施計画及び実施要領に従い、国際平和協力業務を行う。",
        "The Corps conducts the assignments under the plan and the guidelines.",
    ),
    _p(
        "Art. 11(1)",
        _ALL,
        "本部長は、第三条第三号トからタまでに掲げる業務又はこれらの業務に類するものとして同号レの政令で定める業務に係る国際平和協力業務に従事"
        "させるため、...選考により、任期を定めて隊員を採用することができる。",
        "The Chief may recruit Corps members for a term, for assignments under (g) to (p) of Art. 3(iii) or similar ones "
        "under (q).",
    ),
    _p(
        "Art. 12(1)",
        _ALL,
        "本部長は、関係行政機関の長に対し、...職員...を協力隊に派遣するよう要請することができる。ただし、第三条第三号イからヘまでに掲げる業務"
        "及びこれらの業務に類するものとして同号レの政令で定める業務に係る国際平和協力業務については、自衛隊員以外の者の派遣を要請することは"
        "できない。",
        "The Chief may ask the heads of administrative organs to dispatch employees to the Corps; for (a) to (f) and "
        "similar ones under (q), only SDF personnel.",
    ),
    _p(
        "Art. 12(2)",
        _ALL,
        "関係行政機関の長は、前項の規定による要請があったときは、...同項の職員に該当する職員を期間を定めて協力隊に派遣するものとする。",
        "On such a request, the head of the organ dispatches the employees to the Corps for a fixed period.",
    ),
    _p(
        "Art. 13(1)",
        _ALL,
        "海上保安庁長官は、第九条第三項の規定に基づき同項の海上保安庁の職員に国際平和協力業務を行わせるときは、当該職員を、期間を定めて協力隊"
        "に派遣するものとする。",
        "Coast Guard employees are dispatched to the Corps for a fixed period.",
    ),
    _p(
        "Art. 13(2)",
        _ALL,
        "防衛大臣は、第九条第四項の規定に基づき自衛隊の部隊等に国際平和協力業務を行わせるときは、当該自衛隊の部隊等に所属する自衛隊員を、"
        "期間を定めて協力隊に派遣するものとする。",
        "SDF personnel of the units are dispatched to the Corps for a fixed period.",
        "The 1992-2006 texts read 防衛庁長官 (Director General of the Defense Agency) for 防衛大臣.",
    ),
    _p(
        "Art. 18",
        _ALL,
        "国際平和協力業務に従事する者の総数は、二千人を超えないものとする。",
        "The total number of persons engaged in assignments is not to exceed two thousand.",
    ),
    _p(
        "Suppl. Art. 2",
        _BEFORE_2001,
        "同法附則第2条においては、自衛隊の「部隊等」が行う国際平和協力業務のうち 武力紛争の停止の遵守状況、軍隊の再配置・撤退、武装解除の"
        "監視、 緩衝地帯などにおける駐留、巡回、 武器の搬入・搬出の検査、確認、 放棄された武器の収集、保管、処分、 紛争当事者が行う停戦線"
        "など境界線の設定の援助、 紛争当事者間の捕虜交換の援助、の業務は、別に法律で定める日までの間は、これを実施しないこととされていた。",
        "Supplementary Provisions Art. 2: of the assignments of SDF units, monitoring ceasefires, redeployment, withdrawal "
        "and disarmament; stationing and patrol in buffer zones; inspecting weapons carried in or out; disposing of "
        "abandoned weapons; assisting in setting ceasefire lines; and assisting in exchanging prisoners of war ((a) to (f) "
        "of Art. 3(iii), and similar ones under (q)) are not implemented until a date a separate act sets.",
        "The White Paper's description, not the provision's own words (not retrieved). The Cabinet Office adds that the "
        "freeze covered the operations similar to them under (q) (https://www.cao.go.jp/pko/pko_j/data/law/law_data04.html). "
        "Deleted by the 2001 amendment (Act No. 157 of 2001: 附則第二条 削除).",
        WHITE_PAPER_2002,
    ),
)

PROVISIONS: dict[tuple[str, str], EarlierProvision] = {
    (tag, p.citation): p for p in PROVISIONS_LIST for tag in TAGS if tag in p.texts
}
"""Every provision of every earlier text, by (tag, citation)."""


def lookup(tag: str, citation: str) -> EarlierProvision | None:
    """The provision ``citation`` names in the earlier text ``tag``, or None."""
    return PROVISIONS.get((tag, citation))
