"""The notice's pages: create from a project's page, publish (POST through the service), the
printable page, the .docx, the privacy refusal, and another organisation's user gets a 404."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document as WordDocument
from docx.oxml.ns import qn

from duikou.disclosure.docx import BODY_FONT, FALLBACK_FONT, TITLE_FONT
from duikou.disclosure.models import Disclosure
from duikou.disclosure.services import disclosure_publish
from duikou.testing.factories import DisclosureFactory, PublishedDisclosureFactory
from duikou.ui.registers import url_for

from .test_content import school

pytestmark = pytest.mark.django_db

DAY = dt.date(2023, 3, 1)


@pytest.fixture
def project(pairings):
    return school(pairings.pairings["beijing_badong"])


@pytest.fixture
def published(pairings, project):
    draft = DisclosureFactory(pairing=project.pairing, project=project, start_date=None, end_date=None, title="")
    return disclosure_publish(actor=pairings.user("supporter"), disclosure=draft, on=DAY)


def login(client, pairings, who="supporter"):
    client.force_login(pairings.user(who))
    return client


def test_the_project_page_links_to_a_preset_notice_form(client, pairings, project):
    body = login(client, pairings).get(url_for(project)).content.decode()
    add = reverse("ui:disclosures-create") + f"?project={project.pk}"
    assert add in body
    form = client.get(add).context["form"]
    assert form.initial["kind"] == "library"  # a draft project needs its library notice first
    assert str(form.initial["pairing"]) == str(project.pairing_id)
    response = client.post(add, {
        "kind": "library", "pairing": project.pairing_id, "project": project.pk, "level": "county",
        "channels": ["county_website", "site_signboard"], "supervision_phone": "12317",
    })
    assert response.status_code == 302
    created = Disclosure.objects.get(project=project)
    assert created.status == "draft" and created.channels == ["county_website", "site_signboard"]
    assert created.title == "巴东县2023年度对口支援项目库公示"
    assert created.title in client.get(url_for(project)).content.decode()


def test_an_in_library_project_presets_its_annual_plan_announcement(client, pairings, project):
    from duikou.plans.choices import PlanKind
    from duikou.testing.factories import PlanFactory

    plan = PlanFactory(pairing=project.pairing, kind=PlanKind.ANNUAL, start_year=2023, end_year=2023)
    Disclosure.objects.none()
    project.status, project.annual_plan = "in_library", plan
    project.save()
    form = login(client, pairings).get(reverse("ui:disclosures-create") + f"?project={project.pk}").context["form"]
    assert form.initial["kind"] == "annual_plan" and str(form.initial["plan"]) == str(plan.pk)
    assert "project" not in form.initial


def test_publish_button(client, pairings, project):
    draft = DisclosureFactory(pairing=project.pairing, project=project, start_date=None, end_date=None)
    body = login(client, pairings).get(url_for(draft)).content.decode()
    publish_url = reverse("disclosure:publish", args=[draft.pk])
    assert publish_url in body
    assert client.get(publish_url).status_code == 405  # POST only
    response = client.post(publish_url, follow=True)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == "published" and draft.content_snapshot["title"] == draft.title
    body = response.content.decode()
    assert reverse("disclosure:withdraw", args=[draft.pk]) in body and publish_url not in body


def test_publish_refusal_is_shown_with_the_field(client, pairings, project):
    project.description = "联系人13812345678"
    project.save()
    draft = DisclosureFactory(pairing=project.pairing, project=project, start_date=None, end_date=None)
    login(client, pairings)
    body = client.get(url_for(draft)).content.decode()
    assert 'id="privacy-problems"' in body and "二、项目情况 › 建设内容" in body and "13812345678" not in body
    response = client.post(reverse("disclosure:publish", args=[draft.pk]), follow=True)
    assert "二、项目情况 › 建设内容" in response.content.decode()
    assert Disclosure.objects.get(pk=draft.pk).status == "draft"


def test_printable_page(client, pairings, published):
    response = login(client, pairings).get(reverse("disclosure:document", args=[published.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>巴东县2023年度对口支援项目库公示</h1>" in body
    assert "@page { size: A4" in body
    assert "公示期为2023年3月1日至2023年3月10日（共10天）" in body
    assert "监督举报电话：12317" in body and "2023年3月1日" in body
    assert '<span class="missing">（待补充）</span>' in body
    assert "草稿" not in body


def test_draft_page_is_a_preview(client, pairings, project):
    draft = DisclosureFactory(pairing=project.pairing, project=project)
    body = login(client, pairings).get(reverse("disclosure:document", args=[draft.pk])).content.decode()
    assert "（草稿，未发布）" in body and "青龙桥小学教学楼" in body


def test_docx_holds_the_content_in_official_fonts(client, pairings, published):
    response = login(client, pairings).get(reverse("disclosure:docx", args=[published.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in response["Content-Disposition"] and ".docx" in response["Content-Disposition"]
    doc = WordDocument(io.BytesIO(response.content))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == "巴东县2023年度对口支援项目库公示"
    assert "项目名称：青龙桥小学教学楼" in paragraphs
    assert any(p.startswith("公示期为2023年3月1日至2023年3月10日") for p in paragraphs)
    assert paragraphs[-2:] == ["巴东县", "2023年3月1日"]
    funds, info = ({row.cells[0].text: row.cells[1].text for row in t.rows} for t in doc.tables)
    assert funds["资金规模"] == "900.00万元"
    assert info["项目名称"] == "青龙桥小学教学楼" and info["监督举报电话"] == "12317"
    assert info["受益对象"] == "师生1200多人"
    title_run = doc.paragraphs[0].runs[0]
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == TITLE_FONT
    assert title_run.font.size.pt == 22
    body_run = doc.paragraphs[2].runs[0]
    assert body_run._element.rPr.rFonts.get(qn("w:eastAsia")) == BODY_FONT
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    font_table = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml").blob
    assert f'w:name="{BODY_FONT}"'.encode() in font_table and f'w:val="{FALLBACK_FONT}"'.encode() in font_table


def test_annual_plan_docx_has_the_project_table(client, pairings, project):
    from duikou.plans.choices import PlanKind
    from duikou.testing.factories import PlanFactory

    plan = PlanFactory(pairing=project.pairing, kind=PlanKind.ANNUAL, title="2023年度项目计划", start_year=2023,
                       end_year=2023)
    draft = DisclosureFactory(kind="annual_plan", pairing=project.pairing, project=None, plan=plan, year=None,
                              title="", start_date=None, end_date=None)
    notice = disclosure_publish(actor=pairings.user("supporter"), disclosure=draft, on=DAY)
    doc = WordDocument(io.BytesIO(login(client, pairings).get(reverse("disclosure:docx", args=[notice.pk])).content))
    table = doc.tables[1]
    assert [c.text for c in table.rows[0].cells] == ["序号", "项目名称", "实施地点", "建设内容", "建设期限", "建设单位",
                                                     "下达资金", "预期目标"]
    assert [c.text for c in table.rows[1].cells][:2] == ["1", "青龙桥小学教学楼"]


def test_exports_refuse_personal_data(client, pairings, project):
    notice = PublishedDisclosureFactory(pairing=project.pairing, project=project)
    Disclosure.objects.filter(pk=notice.pk).update(  # as if stored before the check existed
        content_snapshot={"title": "公示", "labels": {"note": "其他说明"}, "note": "户主身份证422823199003071234"})
    login(client, pairings)
    for name in ("disclosure:document", "disclosure:docx"):
        response = client.get(reverse(name, args=[notice.pk]))
        assert response.status_code == 409
        body = response.content.decode()
        assert "其他说明" in body and 'id="privacy-problems"' in body and "422823199003071234" not in body


def test_another_organisations_user_gets_404(client, pairings, published):
    login(client, pairings, "foreign")
    for url in (url_for(published), reverse("disclosure:document", args=[published.pk]),
                reverse("disclosure:docx", args=[published.pk]), reverse("ui:disclosures-edit", args=[published.pk])):
        assert client.get(url).status_code == 404, url
    for name in ("disclosure:publish", "disclosure:withdraw"):
        assert client.post(reverse(name, args=[published.pk]), {"reason": "x"}).status_code == 404
    assert Disclosure.objects.get(pk=published.pk).status == "published"


def test_read_only_user_sees_but_may_not_publish_or_withdraw(client, pairings, project, published):
    draft = DisclosureFactory(pairing=project.pairing, project=project, kind="pre_implementation")
    login(client, pairings, "read_only")
    assert client.get(reverse("disclosure:document", args=[published.pk])).status_code == 200
    assert reverse("disclosure:publish", args=[draft.pk]) not in client.get(url_for(draft)).content.decode()
    assert client.post(reverse("disclosure:publish", args=[draft.pk])).status_code == 403
    assert client.post(reverse("disclosure:withdraw", args=[published.pk]), {"reason": "x"}).status_code == 403
    assert Disclosure.objects.get(pk=draft.pk).status == "draft"


def test_withdraw_button(client, pairings, published):
    login(client, pairings)
    url = reverse("disclosure:withdraw", args=[published.pk])
    client.post(url, {"reason": ""})
    assert Disclosure.objects.get(pk=published.pk).status == "published"
    client.post(url, {"reason": "项目选址调整"})
    withdrawn = Disclosure.objects.get(pk=published.pk)
    assert withdrawn.status == "withdrawn" and withdrawn.withdrawal_reason == "项目选址调整"
    assert "（已撤回）" in client.get(reverse("disclosure:document", args=[published.pk])).content.decode()


def test_objection_added_from_the_notice(client, pairings, published):
    login(client, pairings, "recipient")
    body = client.get(url_for(published)).content.decode()
    add = reverse("ui:objections-create") + f"?disclosure={published.pk}"
    assert add in body
    response = client.post(add, {"disclosure": published.pk, "received_on": "2023-03-03", "summary": "选址有异议",
                                 "decision": "pending"})
    assert response.status_code == 302
    body = client.get(url_for(published)).content.decode()
    assert "选址有异议" in body and "class=\"warn-note\"" in body
