"""Seed the paragraph library and the letter templates the seeds name
(CMSL5800–5807, 5829, 5844, leaflet CMSB0011 as an enclosure), the
Resolution route's acknowledgement and outcome letters, and the standard
ICE / Ombudsman signposting paragraph (seed 003, Annex 1).

Text is written in plain, courteous English from the purpose each seed
gives; Welsh versions sit beside every English paragraph (to be checked by
the Welsh Language Unit before go-live). Each row starts at version 1 with
its version record, as an admin save would make it.
"""

from django.db import migrations
from django.utils import timezone

ICE_SIGNPOST_EN = """If you are not happy with this response, you can ask the Independent Case Examiner (ICE) to consider your complaint. You should contact them within six months from the date of this letter. The ICE service is provided by the Department for Work and Pensions and offers a free, impartial resolution service, but does not consider matters of law or government policy. You can contact ICE at:

Independent Case Examiner’s Office
PO Box 209
Bootle
L20 7WA
Phone: 0345 606 0777
Email: ice@dwp.gov.uk

You can also, at any time, contact your {{ representative }}, who may be able to send your complaint to the {{ ombudsman }}. The Ombudsman normally (but not always) expects you to have been through our complaints process and the ICE service before accepting a complaint for investigation.

The Ombudsman investigates complaints that government organisations have not acted properly or fairly or have provided a poor service. To find out more, please contact:

{{ ombudsman_address }}
Phone: {{ ombudsman_phone }}"""

ICE_SIGNPOST_CY = """Os nad ydych yn fodlon â’r ymateb hwn, gallwch ofyn i’r Archwilydd Achosion Annibynnol (ICE) ystyried eich cwyn. Dylech gysylltu â nhw cyn pen chwe mis o ddyddiad y llythyr hwn. Darperir gwasanaeth ICE gan yr Adran Gwaith a Phensiynau ac mae’n cynnig gwasanaeth datrys cwynion diduedd am ddim, ond nid yw’n ystyried materion cyfreithiol na pholisi’r llywodraeth. Gallwch gysylltu ag ICE yn:

Swyddfa’r Archwilydd Achosion Annibynnol
Blwch Post 209
Bootle
L20 7WA
Ffôn: 0345 606 0777
E-bost: ice@dwp.gov.uk

Gallwch hefyd, ar unrhyw adeg, gysylltu â’ch {{ representative }}, a allai anfon eich cwyn at yr {{ ombudsman }}. Fel arfer (ond nid bob tro) mae’r Ombwdsmon yn disgwyl eich bod wedi bod drwy ein proses gwyno a gwasanaeth ICE cyn derbyn cwyn i’w hymchwilio.

Mae’r Ombwdsmon yn ymchwilio i gwynion nad yw sefydliadau’r llywodraeth wedi gweithredu’n briodol neu’n deg, neu eu bod wedi darparu gwasanaeth gwael. I gael gwybod mwy, cysylltwch â:

{{ ombudsman_address }}
Ffôn: {{ ombudsman_phone }}"""

# (English code, Welsh code, title, English text, Welsh text)
PARAGRAPHS = [
    ("CW_ICE_SIGNPOST_E", "CW_ICE_SIGNPOST_W", "Independent Case Examiner and Ombudsman (standard wording)",
     ICE_SIGNPOST_EN, ICE_SIGNPOST_CY),
    ("CW_RES_ACK_1_E", "CW_RES_ACK_1_W", "Resolution: complaint received",
     "Thank you for contacting us about your complaint, which we received on {{ received_date }}. We are sorry "
     "that you have had reason to complain. Your complaint has been passed to our complaints resolution team, "
     "and {{ caseworker_name }} will be looking into it for you.",
     "Diolch am gysylltu â ni ynglŷn â’ch cwyn, a gawsom ar {{ received_date }}. Mae’n ddrwg gennym fod "
     "gennych reswm i gwyno. Mae eich cwyn wedi cael ei hanfon at ein tîm datrys cwynion, a bydd "
     "{{ caseworker_name }} yn edrych arni ar eich rhan."),
    ("CW_RES_ACK_2_E", "CW_RES_ACK_2_W", "Resolution: what happens next",
     "We aim to give you our response within 15 working days. We may phone you to talk about your complaint "
     "and what you would like us to do to put things right.\n\n"
     "If you would like to talk to us before then, please call {{ team_phone }} and quote our reference "
     "{{ reference }}.",
     "Ein nod yw rhoi ein hymateb i chi cyn pen 15 diwrnod gwaith. Efallai y byddwn yn eich ffonio i siarad "
     "am eich cwyn a’r hyn yr hoffech i ni ei wneud i unioni pethau.\n\n"
     "Os hoffech siarad â ni cyn hynny, ffoniwch {{ team_phone }} a dyfynnwch ein cyfeirnod {{ reference }}."),
    ("CW_RES_OUT_1_E", "CW_RES_OUT_1_W", "Resolution outcome: opening",
     "Thank you for your patience while we looked into your complaint. This letter explains what we found and "
     "what we have done to put things right.",
     "Diolch am eich amynedd tra buom yn edrych ar eich cwyn. Mae’r llythyr hwn yn esbonio’r hyn a welsom a’r "
     "hyn rydym wedi’i wneud i unioni pethau."),
    ("CW_RES_REVIEW_E", "CW_RES_REVIEW_W", "Resolution outcome: asking the review team to look again",
     "If you are not happy with our response, you can ask for your complaint to be looked at again by the "
     "{{ organisation }} complaints review team, which is separate from the team that dealt with your "
     "complaint. Please contact us within six months of the date of this letter by calling {{ team_phone }}, "
     "and quote our reference {{ reference }}.",
     "Os nad ydych yn fodlon â’n hymateb, gallwch ofyn i dîm adolygu cwynion {{ organisation }} edrych ar eich "
     "cwyn eto. Mae’r tîm hwn ar wahân i’r tîm a ddeliodd â’ch cwyn. Cysylltwch â ni cyn pen chwe mis o "
     "ddyddiad y llythyr hwn drwy ffonio {{ team_phone }}, a dyfynnwch ein cyfeirnod {{ reference }}."),
    ("CW_5829_1_E", "CW_5829_1_W", "Review: complaint received, could not reach by phone",
     "Thank you for asking us to look again at how your complaint was handled. Your complaint has been passed "
     "to the {{ organisation }} complaints review team and {{ caseworker_name }} is now looking at it. We tried "
     "to phone you to talk about it, but we were not able to reach you.",
     "Diolch am ofyn i ni edrych eto ar y ffordd yr ymdriniwyd â’ch cwyn. Mae eich cwyn wedi cael ei hanfon at "
     "dîm adolygu cwynion {{ organisation }} ac mae {{ caseworker_name }} yn edrych arni nawr. Fe wnaethom "
     "geisio eich ffonio i siarad amdani, ond nid oeddem yn gallu cael gafael arnoch."),
    ("CW_5829_2_E", "CW_5829_2_W", "Review: when we will be in touch",
     "We will be in touch with you within {{ reply_days }} days, by {{ reply_by_date }}. If you would like to "
     "talk to us before then, please call {{ team_phone }} and quote our reference {{ reference }}.",
     "Byddwn yn cysylltu â chi cyn pen {{ reply_days }} diwrnod, erbyn {{ reply_by_date }}. Os hoffech siarad "
     "â ni cyn hynny, ffoniwch {{ team_phone }} a dyfynnwch ein cyfeirnod {{ reference }}."),
    ("CW_5800_1_E", "CW_5800_1_W", "Review: no further action – our decision",
     "Thank you for asking the complaints review team to look at your complaint. We have carefully considered "
     "everything you told us and how your complaint was dealt with. We have decided that there is no further "
     "action we can take.",
     "Diolch am ofyn i’r tîm adolygu cwynion edrych ar eich cwyn. Rydym wedi ystyried yn ofalus bopeth a "
     "ddywedoch wrthym a’r ffordd yr ymdriniwyd â’ch cwyn. Rydym wedi penderfynu nad oes camau pellach y "
     "gallwn eu cymryd."),
    ("CW_5800_2_E", "CW_5800_2_W", "Review: talk to us about this decision",
     "If you would like to talk to us about this decision, please call {{ team_phone }} by {{ reply_by_date }}. "
     "If we do not hear from you by then, we will close your complaint.",
     "Os hoffech siarad â ni am y penderfyniad hwn, ffoniwch {{ team_phone }} erbyn {{ reply_by_date }}. Os na "
     "fyddwn wedi clywed gennych erbyn hynny, byddwn yn cau eich cwyn."),
    ("CW_5801_1_E", "CW_5801_1_W", "Review: action plan – introduction",
     "Thank you for asking the complaints review team to look at how your complaint was handled. We have looked "
     "at your complaint again and have put together a plan to put things right.",
     "Diolch am ofyn i’r tîm adolygu cwynion edrych ar y ffordd yr ymdriniwyd â’ch cwyn. Rydym wedi edrych ar "
     "eich cwyn eto ac wedi llunio cynllun i unioni pethau."),
    ("LM_00008", "LM_00008_W", "If contacted customer by phone",
     "Thank you for talking to us on the phone about your complaint. As we discussed, this letter confirms what "
     "went wrong and the action we will take.",
     "Diolch am siarad â ni ar y ffôn am eich cwyn. Fel y trafodwyd, mae’r llythyr hwn yn cadarnhau beth aeth "
     "o’i le a’r camau y byddwn yn eu cymryd."),
    ("LM_00009", "LM_00009_W", "If unable to contact customer by phone",
     "We tried to phone you to talk about your complaint, but we were not able to reach you. We are writing to "
     "let you know what went wrong and the action we will take.",
     "Fe wnaethom geisio eich ffonio i siarad am eich cwyn, ond nid oeddem yn gallu cael gafael arnoch. Rydym "
     "yn ysgrifennu i roi gwybod i chi beth aeth o’i le a’r camau y byddwn yn eu cymryd."),
    ("CW_5801_2_E", "CW_5801_2_W", "Review: completing the plan and your agreement",
     "We will complete these actions by {{ plan_due_date }}. Please call us on {{ team_phone }} by "
     "{{ reply_by_date }} to let us know whether you agree with this plan. If we do not hear from you by then, "
     "we will go ahead with the actions set out in this letter.",
     "Byddwn yn cwblhau’r camau hyn erbyn {{ plan_due_date }}. Ffoniwch ni ar {{ team_phone }} erbyn "
     "{{ reply_by_date }} i roi gwybod i ni a ydych yn cytuno â’r cynllun hwn. Os na fyddwn wedi clywed gennych "
     "erbyn hynny, byddwn yn bwrw ymlaen â’r camau a nodir yn y llythyr hwn."),
    ("CW_5803_1_E", "CW_5803_1_W", "Review: plan going ahead – introduction",
     "Thank you for letting us know that you do not agree with the action plan we proposed to resolve your "
     "complaint. A senior team leader in the complaints review team has looked at the plan again, together "
     "with the reasons you gave us.",
     "Diolch am roi gwybod i ni nad ydych yn cytuno â’r cynllun gweithredu a gynigiwyd gennym i ddatrys eich "
     "cwyn. Mae uwch arweinydd tîm yn y tîm adolygu cwynion wedi edrych ar y cynllun eto, ynghyd â’r rhesymau "
     "a roesoch i ni."),
    ("CW_5803_2_E", "CW_5803_2_W", "Review: plan going ahead – our decision",
     "Having considered everything carefully, we have decided that the plan is the right way to resolve your "
     "complaint, and we will now go ahead with the actions it sets out. We will let you know when they are "
     "complete.",
     "Ar ôl ystyried popeth yn ofalus, rydym wedi penderfynu mai’r cynllun yw’r ffordd gywir o ddatrys eich "
     "cwyn, a byddwn nawr yn bwrw ymlaen â’r camau sydd ynddo. Byddwn yn rhoi gwybod i chi pan fyddant wedi’u "
     "cwblhau."),
    ("CW_5804_1_E", "CW_5804_1_W", "Review: revised plan – introduction",
     "Thank you for letting us know that you did not agree with the action plan we proposed. A senior member "
     "of the complaints review team has looked at your complaint again and agrees that the plan should be "
     "changed.",
     "Diolch am roi gwybod i ni nad oeddech yn cytuno â’r cynllun gweithredu a gynigiwyd gennym. Mae uwch "
     "aelod o’r tîm adolygu cwynion wedi edrych ar eich cwyn eto ac yn cytuno y dylid newid y cynllun."),
    ("CW_5804_2_E", "CW_5804_2_W", "Review: questions about the revised plan",
     "If you have any questions about the revised plan, please call {{ team_phone }} and quote our reference "
     "{{ reference }}.",
     "Os oes gennych unrhyw gwestiynau am y cynllun diwygiedig, ffoniwch {{ team_phone }} a dyfynnwch ein "
     "cyfeirnod {{ reference }}."),
    ("CW_5805_1_E", "CW_5805_1_W", "Review: actions complete, could not reach by phone",
     "We have now completed all the actions we agreed to take to resolve your complaint. We tried to phone you "
     "to let you know, but we were not able to reach you.",
     "Rydym bellach wedi cwblhau’r holl gamau y cytunwyd i’w cymryd i ddatrys eich cwyn. Fe wnaethom geisio "
     "eich ffonio i roi gwybod i chi, ond nid oeddem yn gallu cael gafael arnoch."),
    ("CW_5805_2_E", "CW_5805_2_W", "Review: closing your complaint unless we hear from you",
     "If you are happy for us to close your complaint, you do not need to do anything. If you are not happy "
     "with what we have done, please call {{ team_phone }} by {{ reply_by_date }}. If we do not hear from you "
     "by then, we will close your complaint.",
     "Os ydych yn fodlon i ni gau eich cwyn, nid oes angen i chi wneud dim. Os nad ydych yn fodlon â’r hyn "
     "rydym wedi’i wneud, ffoniwch {{ team_phone }} erbyn {{ reply_by_date }}. Os na fyddwn wedi clywed gennych "
     "erbyn hynny, byddwn yn cau eich cwyn."),
    ("CW_5806_1_E", "CW_5806_1_W", "Review: actions complete, agreed by phone",
     "Thank you for talking to us on the phone. As we discussed, we have now completed all the actions we "
     "agreed to take to resolve your complaint, and we have closed your complaint.",
     "Diolch am siarad â ni ar y ffôn. Fel y trafodwyd, rydym bellach wedi cwblhau’r holl gamau y cytunwyd i’w "
     "cymryd i ddatrys eich cwyn, ac rydym wedi cau eich cwyn."),
    ("CW_5807_1_E", "CW_5807_1_W", "Review: not happy for us to close – introduction",
     "Thank you for letting us know that you are not happy for us to close your complaint.",
     "Diolch am roi gwybod i ni nad ydych yn fodlon i ni gau eich cwyn."),
    ("TM_09172", "TM_09172_W", "Handled in line with child support law",
     "We realise that our response may not be the one you were hoping for. However, we are confident that your "
     "complaint was handled in line with the regulations and policies set out under child support law, based "
     "on all the information that we’re aware of about your circumstances.",
     "Rydym yn sylweddoli efallai nad ein hymateb yw’r un yr oeddech yn gobeithio amdano. Fodd bynnag, rydym yn "
     "hyderus bod eich cwyn wedi cael ei thrin yn unol â’r rheoliadau a’r polisïau a nodir o dan gyfraith "
     "cynnal plant, yn seiliedig ar yr holl wybodaeth sydd gennym am eich amgylchiadau."),
    ("TM_09173", "TM_09173_W", "Thorough complaint resolution process",
     "We realise that our response may not be the one you were hoping for. However, please be assured that we "
     "have followed a thorough complaint resolution process and investigated your concerns fully.",
     "Rydym yn sylweddoli efallai nad ein hymateb yw’r un yr oeddech yn gobeithio amdano. Fodd bynnag, gallwn "
     "eich sicrhau ein bod wedi dilyn proses datrys cwynion drylwyr ac wedi ymchwilio’n llawn i’ch pryderon."),
    ("CW_5807_2_E", "CW_5807_2_W", "Review: complaint closed, leaflet enclosed",
     "We have now closed your complaint. We have enclosed our complaints information leaflet, which explains "
     "the options open to you.",
     "Rydym bellach wedi cau eich cwyn. Rydym wedi amgáu ein taflen wybodaeth am gwynion, sy’n esbonio’r "
     "opsiynau sydd ar gael i chi."),
    ("TM_09669_E", "TM_09669_W", "Our complaint reference number",
     "Our complaint reference number is {{ reference }}. Please quote this number whenever you contact us about "
     "your complaint.",
     "Cyfeirnod ein cwyn yw {{ reference }}. Dyfynnwch y rhif hwn pryd bynnag y byddwch yn cysylltu â ni am "
     "eich cwyn."),
    ("TM_09670_E", "TM_09670_W", "More information",
     "If you would like more information, or if anything in this letter is not clear, please call "
     "{{ team_phone }} and quote our reference {{ reference }}. If you need this letter in another format, such "
     "as large print or braille, please let us know.",
     "Os hoffech gael rhagor o wybodaeth, neu os oes unrhyw beth yn y llythyr hwn yn aneglur, ffoniwch "
     "{{ team_phone }} a dyfynnwch ein cyfeirnod {{ reference }}. Os oes arnoch angen y llythyr hwn mewn "
     "fformat arall, fel print bras neu braille, rhowch wybod i ni."),
]

KEEPING_INFORMED = ("Keeping you informed about your complaint", "Eich diweddaru am eich cwyn")
RESOLVED = ("We’ve resolved your complaint", "Rydym wedi datrys eich cwyn")
STILL_NOT_HAPPY = ("If you are still not happy", "Os nad ydych yn fodlon o hyd")
AN_UPDATE = ("An update", "Y wybodaeth ddiweddaraf")
WHAT_THIS_MEANS = ("What this means for you", "Beth mae hyn yn ei olygu i chi")

# Letters a route's transition issues (the letter form is on the action's page).
SENT_BY_AN_ACTION = {"RES-OUTCOME", "CMSL5829", "CMSL5800", "CMSL5801", "CMSL5803", "CMSL5804", "CMSL5805",
                     "CMSL5806", "CMSL5807"}


def para(code, heading=("", "")):
    return {"kind": "paragraph", "paragraph": code, "heading": heading[0], "heading_cy": heading[1]}


def choice(key, code, default=False, heading=("", "")):
    return {"kind": "choice", "key": key, "paragraph": code, "is_default": default,
            "heading": heading[0], "heading_cy": heading[1]}


def free(key, heading, hint, required=True, max_length=3000):
    return {"kind": "free_text", "key": key, "heading": heading[0], "heading_cy": heading[1], "hint": hint,
            "required": required, "max_length": max_length}


def system(key, heading=("", "")):
    return {"kind": "system", "key": key, "heading": heading[0], "heading_cy": heading[1]}


def enclosure(code, title):
    return {"kind": "enclosure", "key": code, "heading": title[0], "heading_cy": title[1]}


# (code, heading (en, cy), guidance, allowed_states, reply_days, parts)
TEMPLATES = [
    ("RES-ACK", ("We have received your complaint", "Rydym wedi cael eich cwyn"),
     "Resolution route. Sent automatically when a team leader allocates the complaint: a formal complaint is "
     "acknowledged by post straight after it is logged. Nothing to write: every field comes "
     "from the case. Send it again from here only if the first one went astray.",
     {"resolution": ["in_progress", "draft_action_plan"]}, None,
     [para("CW_RES_ACK_1_E"), para("CW_RES_ACK_2_E")]),
    ("RES-OUTCOME", ("Our response to your complaint", "Ein hymateb i’ch cwyn"),
     "Resolution route outcome letter, issued when the SR closes (Resolved or No Action Taken). Under “What we "
     "have done” explain what the client complained about, what you found, any apology and the actions taken. "
     "The letter tells the client they can ask the complaints review team to look again.",
     {"resolution": ["closed"]}, None,
     [para("CW_RES_OUT_1_E"),
      free("what_we_have_done", ("What we have done", "Yr hyn rydym wedi’i wneud"),
           "What the client complained about, what we found, any apology, and the actions we have taken."),
      free("what_this_means", WHAT_THIS_MEANS,
           "Optional: what the outcome means for the client, e.g. a payment or a changed calculation.",
           required=False),
      para("CW_RES_REVIEW_E", ("If you are not happy with our response", "Os nad ydych yn fodlon â’n hymateb")),
      system("contact")]),
    ("CMSL5829", KEEPING_INFORMED,
     "Review: tells the client their complaint has been received by the complaints review team and is being "
     "looked at, and when we will be in touch. Issue within 2 working days of allocation when you could not "
     "reach the client by phone. All fields are system generated; no manual input is needed.",
     {"review": ["in_progress"]}, 10,
     [para("CW_5829_1_E"), para("CW_5829_2_E")]),
    ("CMSL5800", KEEPING_INFORMED,
     "Review: the complaint has been considered and no further action will be taken. Send after telling the "
     "client by phone, or when you could not reach them. Under “An update” write any corrective action that has "
     "been taken, and a further apology and explanation if required. Starts the 7-day wait for the client's "
     "reply. All other fields are filled in by the system; read the preview before issuing.",
     {"review": ["awaiting_client_reply"]}, 7,
     [para("CW_5800_1_E"),
      free("update", AN_UPDATE,
           "Any corrective action that has been taken, and a further apology and explanation if required."),
      para("CW_5800_2_E"),
      para("CW_ICE_SIGNPOST_E", STILL_NOT_HAPPY)]),
    ("CMSL5801", KEEPING_INFORMED,
     "Review: sets out the review team's new action plan for the client's agreement. Choose "
     "LM_00008 if you spoke to the client by phone, LM_00009 if you could not reach them. In the free text give "
     "the details of the client's complaint, why the mistake occurred and the corrective action being taken. "
     "The completion date comes from the plan's actions. Starts the 7-day wait for the client's agreement.",
     {"review": ["awaiting_client_agreement"]}, 7,
     [para("CW_5801_1_E"),
      choice("contact", "LM_00008"),
      choice("contact", "LM_00009", default=True),
      free("plan", ("The action we will take to resolve your complaint",
                    "Y camau y byddwn yn eu cymryd i ddatrys eich cwyn"),
           "Details of the client's complaint, an explanation of why the mistake occurred, and the corrective "
           "action we will take."),
      system("plan_actions", ("Actions and dates", "Camau a dyddiadau")),
      para("CW_5801_2_E")]),
    ("CMSL5803", KEEPING_INFORMED,
     "Review: the client disagreed with the action plan, but a senior team member approved it and it is going "
     "ahead (Sub Status Approved). Under “An update” explain why it was necessary for the senior complaints "
     "team leader to review the resolution plan.",
     {"review": ["undertaking_actions"]}, None,
     [para("CW_5803_1_E"),
      free("update", AN_UPDATE,
           "Why it was necessary for the senior complaints team leader to review the resolution plan."),
      para("CW_5803_2_E"),
      system("contact")]),
    ("CMSL5804", KEEPING_INFORMED,
     "Review: sent by a senior member of the review team when the client disagreed with the plan and the team "
     "leader agreed it should change. Under “The revised action we will take to resolve your complaint” write "
     "why the mistake occurred, the apology, the corrective action now being taken and the date it is due.",
     {"review": ["draft_action_plan"]}, None,
     [para("CW_5804_1_E"),
      free("revised_plan", ("The revised action we will take to resolve your complaint",
                            "Y camau diwygiedig y byddwn yn eu cymryd i ddatrys eich cwyn"),
           "Why the mistake occurred, the appropriate apology, the corrective action now being taken and the date "
           "it is due to be complete."),
      para("CW_5804_2_E")]),
    ("CMSL5805", RESOLVED,
     "Review: confirms the resolution actions are complete when you could not reach the client by phone. Under "
     "“What this means for you” explain the actions taken and, if necessary, a further apology. Starts the "
     "14-day wait for the client to agree to closure.",
     {"review": ["awaiting_closure_agreement"]}, 14,
     [para("CW_5805_1_E"),
      free("what_this_means", WHAT_THIS_MEANS,
           "What actions have been taken and, if necessary, a further apology."),
      para("CW_5805_2_E"),
      para("CW_ICE_SIGNPOST_E", STILL_NOT_HAPPY)]),
    ("CMSL5806", RESOLVED,
     "Review: confirms the resolution actions are complete and the complaint is closed, when the client agreed "
     "to closure by phone (Actions Complete – Client OK). Under “What this means for you” confirm the "
     "corrective action taken and, if required, a further apology.",
     {"review": ["closed"]}, None,
     [para("CW_5806_1_E"),
      free("what_this_means", WHAT_THIS_MEANS,
           "Confirm the corrective action taken and, if required, a further apology."),
      para("CW_ICE_SIGNPOST_E", STILL_NOT_HAPPY)]),
    ("CMSL5807", KEEPING_INFORMED,
     "Review: the client did not agree to closure (Actions Complete – Client Not OK). Under “An update” "
     "explain that a senior member of the complaints team has reviewed the complaint and, based on what we "
     "know, there is nothing more we can do. TM 09172 is the default closing paragraph; choose TM 09173 where "
     "it fits better. Leaflet CMSB0011 goes with the letter.",
     {"review": ["closed"]}, None,
     [para("CW_5807_1_E"),
      free("update", AN_UPDATE,
           "The complaint has been reviewed by a senior member of the complaints team and, based on the "
           "information we are aware of, there is no more we can do."),
      choice("outcome", "TM_09172", default=True),
      choice("outcome", "TM_09173"),
      para("CW_5807_2_E"),
      para("CW_ICE_SIGNPOST_E", STILL_NOT_HAPPY),
      enclosure("CMSB0011", ("Complaints information leaflet", "Taflen wybodaeth am gwynion"))]),
    ("CMSL5844", ("Complaint", "Cwyn"),
     "ICE / PHSO (NI Ombudsman) cover letter: a generic free-text letter for any stage of an ICE or Ombudsman "
     "complaint (ICE requires the 3rd Party Account to be ICE). Paragraph TM_09669 gives our complaint "
     "reference; write the body in the free text; TM_09670 says where to get more information.",
     {"ice": ["*"], "phso": ["*"]}, None,
     [para("TM_09669_E"),
      free("letter_text", ("", ""),
           "Explain the stage the complaint has reached with ICE or the Ombudsman and what happens next.",
           max_length=6000),
      para("TM_09670_E")]),
]


def seed(apps, schema_editor):
    Paragraph = apps.get_model("letters", "Paragraph")
    ParagraphVersion = apps.get_model("letters", "ParagraphVersion")
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    LetterTemplateVersion = apps.get_model("letters", "LetterTemplateVersion")
    TemplatePart = apps.get_model("letters", "TemplatePart")
    now = timezone.now()
    by_code = {}
    for en_code, cy_code, title, en_text, cy_text in PARAGRAPHS:
        english = Paragraph.objects.create(code=en_code, language="en", title=title, text=en_text, version=1,
                                           updated_at=now)
        welsh = Paragraph.objects.create(code=cy_code, language="cy", english=english, title=title + " (Welsh)",
                                         text=cy_text, version=1, updated_at=now)
        for p in (english, welsh):
            ParagraphVersion.objects.create(paragraph=p, version=1, title=p.title, text=p.text, created_at=now)
        by_code[en_code] = english
    for code, heading, guidance, allowed, reply_days, parts in TEMPLATES:
        if code in SENT_BY_AN_ACTION:
            guidance += (" It goes out with the case action that needs it; send it from this page only to "
                         "send it again.")
        template = LetterTemplate.objects.create(
            code=code, heading=heading[0], heading_cy=heading[1], guidance=guidance, allowed_states=allowed,
            reply_days=reply_days, version=1, updated_at=now,
        )
        snapshot_parts = []
        for position, spec in enumerate(parts, start=1):
            spec = dict(spec)
            paragraph_code = spec.pop("paragraph", None)
            part = TemplatePart.objects.create(
                template=template, position=position * 10,
                paragraph=by_code[paragraph_code] if paragraph_code else None, **spec,
            )
            snapshot_parts.append({
                "position": part.position, "kind": part.kind, "paragraph": paragraph_code, "key": part.key,
                "is_default": part.is_default, "heading": part.heading, "heading_cy": part.heading_cy,
                "required": part.required, "max_length": part.max_length, "hint": part.hint,
            })
        snapshot = {
            "code": code, "heading": heading[0], "heading_cy": heading[1], "guidance": guidance,
            "allowed_states": allowed, "reply_days": reply_days, "active": True, "parts": snapshot_parts,
        }
        LetterTemplateVersion.objects.create(template=template, version=1, snapshot=snapshot, created_at=now)


def unseed(apps, schema_editor):
    for name in ("LetterTemplateVersion", "TemplatePart", "LetterTemplate", "ParagraphVersion"):
        apps.get_model("letters", name).objects.all().delete()
    Paragraph = apps.get_model("letters", "Paragraph")
    Paragraph.objects.filter(language="cy").delete()
    Paragraph.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
