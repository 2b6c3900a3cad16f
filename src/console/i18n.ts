/**
 * The console's labels, English and French, in one dictionary. The language comes from `?lang=`
 * (remembered in a cookie), else the cookie, else `Accept-Language`, else English.
 */

export type Lang = 'en' | 'fr';
export const LANGS: readonly Lang[] = ['en', 'fr'];
export const LANG_COOKIE = 'icp_console_lang';

const DICT = {
  'app.title': ['icp-sync console', 'Console icp-sync'],
  'nav.overview': ['Overview', "Vue d'ensemble"],
  'nav.records': ['Records', 'Fiches'],
  'nav.operations': ['Operations', 'Opérations'],
  'nav.model': ['Model', 'Modèle'],
  'nav.audit': ['Audit log', "Journal d'audit"],
  'nav.main': ['Main', 'Principal'],
  'nav.skip': ['Skip to content', 'Aller au contenu'],
  'lang.switch': ['Français', 'English'],
  'signin.title': ['Sign in', 'Connexion'],
  'signin.name': ['Your name (shown in the audit log)', "Votre nom (affiché dans le journal d'audit)"],
  'signin.secret': ['Console secret', 'Secret de la console'],
  'signin.submit': ['Sign in', 'Se connecter'],
  'signin.wrong': ['Wrong secret.', 'Secret incorrect.'],
  'signin.throttled': ['Too many failed attempts from this address; try again in {seconds} s.', 'Trop de tentatives échouées depuis cette adresse ; réessayez dans {seconds} s.'],
  'signin.help': ['Editors and viewers each have their own secret (CONSOLE_EDITOR_SECRET, CONSOLE_VIEWER_SECRET).', 'Éditeurs et lecteurs ont chacun leur secret (CONSOLE_EDITOR_SECRET, CONSOLE_VIEWER_SECRET).'],
  'signout': ['Sign out', 'Se déconnecter'],
  'role.editor': ['editor', 'éditeur'],
  'role.viewer': ['viewer (read only)', 'lecteur (lecture seule)'],
  'signed.as': ['Signed in as {name}, {role}', 'Connecté : {name}, {role}'],
  'forbidden.title': ['Not allowed', 'Non autorisé'],
  'forbidden.viewer': ['Your role is read only: only an editor can do this.', 'Votre rôle est en lecture seule : seul un éditeur peut faire cela.'],
  'csrf.refused': ['The form had expired or did not come from this console; reload the page and try again.', "Le formulaire a expiré ou ne vient pas de cette console ; rechargez la page et réessayez."],
  'notfound': ['Not found.', 'Introuvable.'],
  'none': ['none', 'aucun'],
  'never': ['never', 'jamais'],
  'yes': ['yes', 'oui'],
  'no': ['no', 'non'],
  'overview.title': ["Overview", "Vue d'ensemble"],
  'overview.model': ['Model', 'Modèle'],
  'overview.model.version': ['Version in use', 'Version en service'],
  'overview.model.published': ['Published', 'Publiée'],
  'overview.model.age': ['{days} days ago', 'il y a {days} jours'],
  'overview.model.revision': ['revision {revision}', 'révision {revision}'],
  'overview.model.rechallenge': ['Re-challenge against fresh deals by', 'À re-challenger sur des affaires récentes avant le'],
  'overview.model.due': ['due', 'échu'],
  'overview.distribution': ['Tiers and completeness (sample)', 'Tiers et complétude (échantillon)'],
  'overview.distribution.help': ['Computed with the model in use on the preview sample of each object type (up to 1,000 records read from the CRM).', "Calculés avec le modèle en service sur l'échantillon de simulation de chaque type d'objet (jusqu'à 1 000 fiches lues dans le CRM)."],
  'overview.sample': ['Sample', 'Échantillon'],
  'overview.sampleRead': ['Read', 'Lu le'],
  'overview.tiers': ['Tier distribution', 'Répartition par tier'],
  'overview.completeness': ['Average completeness', 'Complétude moyenne'],
  'overview.synced': ['Last version synced to the CRM', 'Dernière version synchronisée vers le CRM'],
  'overview.objects': ['Synced objects', 'Objets synchronisés'],
  'overview.crm': ['CRM', 'CRM'],
  'overview.objectType': ['Object type', "Type d'objet"],
  'overview.pending': ['Changes waiting', 'Changements en attente'],
  'overview.watermark': ['Incremental sync up to', 'Synchro incrémentale jusqu’à'],
  'overview.lastBackfill': ['Last backfill', 'Dernier rattrapage'],
  'overview.failures': ['Failures', 'Échecs'],
  'overview.queues': ['Queue health', 'Santé des files'],
  'overview.noCrm': ['No CRM is configured on this instance.', "Aucun CRM n'est configuré sur cette instance."],
  'queue.name': ['Queue', 'File'],
  'queue.state': ['State', 'État'],
  'queue.waiting': ['waiting', 'en attente'],
  'queue.active': ['active', 'en cours'],
  'queue.delayed': ['delayed', 'différés'],
  'queue.failed': ['failed', 'en échec'],
  'queue.completed': ['completed', 'terminés'],
  'queue.healthy': ['healthy', 'sain'],
  'queue.busy': ['busy', 'occupé'],
  'queue.failing': ['has failures', 'a des échecs'],
  'backfill.running': ['running', 'en cours'],
  'backfill.done': ['done', 'terminé'],
  'backfill.progress': ['{processed} of {listed} processed · {written} written · {unchanged} unchanged · {failed} failed', '{processed} sur {listed} traités · {written} écrits · {unchanged} inchangés · {failed} en échec'],
  'backfill.trigger.backfill': ['requested', 'demandé'],
  'backfill.trigger.model-change': ['model change', 'changement de modèle'],
  'records.title': ['Records', 'Fiches'],
  'records.search': ['Record id', 'Identifiant de la fiche'],
  'records.search.help': ['A HubSpot id (digits) or a Salesforce id (15 or 18 characters).', 'Un identifiant HubSpot (chiffres) ou Salesforce (15 ou 18 caractères).'],
  'records.find': ['Explain', 'Expliquer'],
  'records.notFound': ['No {crm} record has the id {id}.', "Aucune fiche {crm} n'a l'identifiant {id}."],
  'records.badId': ['{id} is not a {crm} record id ({shape}).', "{id} n'est pas un identifiant {crm} ({shape})."],
  'records.rescore': ['Rescore now', 'Recalculer maintenant'],
  'records.rescored': ['Queued {count} record(s) for rescoring.', '{count} fiche(s) mise(s) en file pour recalcul.'],
  'records.anyType': ['any synced type', 'tout type synchronisé'],
  'explain.attributes': ['Attributes', 'Attributs'],
  'explain.attribute': ['Attribute', 'Attribut'],
  'explain.value': ['Value', 'Valeur'],
  'explain.source': ['Source', 'Source'],
  'explain.criteria': ['Criteria', 'Critères'],
  'explain.criterion': ['Criterion', 'Critère'],
  'explain.weight': ['Weight', 'Poids'],
  'explain.points': ['Points', 'Points'],
  'explain.contribution': ['Contribution', 'Contribution'],
  'explain.status': ['Status', 'Statut'],
  'explain.exclusions': ['Exclusions fired', 'Exclusions déclenchées'],
  'explain.result': ['Score {score} · tier {tier}{excluded} · completeness {completeness}% · tags {tags}', 'Score {score} · tier {tier}{excluded} · complétude {completeness} % · tags {tags}'],
  'explain.excluded': [' (excluded)', ' (exclu)'],
  'explain.reasons': ['Reasons', 'Raisons'],
  'explain.person': ['Buying role', "Rôle d'achat"],
  'explain.title': ['Title', 'Fonction'],
  'explain.role': ['Role', 'Rôle'],
  'explain.account': ['Account', 'Compte'],
  'explain.priority': ['Priority', 'Priorité'],
  'explain.committee': ['Buying committee: coverage {coverage}% · missing {missing}', "Comité d'achat : couverture {coverage} % · manquants {missing}"],
  'explain.nothing': ['Write: nothing — the CRM already holds these values.', 'Écriture : rien — le CRM a déjà ces valeurs.'],
  'explain.write': ['Write (dry run, nothing written)', 'Écriture (simulation, rien n’est écrit)'],
  'explain.field': ['Field', 'Champ'],
  'explain.now': ['Now', 'Actuel'],
  'explain.next': ['Would be', 'Serait'],
  'ops.title': ['Operations', 'Opérations'],
  'ops.queues': ['Queues', 'Files'],
  'ops.backfill': ['Backfill', 'Rattrapage'],
  'ops.backfill.help': ['Reads every record of the object type and rewrites the values that differ.', "Relit toutes les fiches du type d'objet et réécrit les valeurs qui diffèrent."],
  'ops.backfill.start': ['Start backfill', 'Lancer le rattrapage'],
  'ops.backfill.all': ['every synced type', 'tous les types synchronisés'],
  'ops.backfill.started': ['Backfill started; its progress shows below as it goes.', 'Rattrapage lancé ; son avancement s’affiche ci-dessous au fil de l’eau.'],
  'ops.backfills': ['Backfill progress (live)', 'Avancement des rattrapages (en direct)'],
  'ops.noBackfill': ['No backfill has run yet.', "Aucun rattrapage n'a encore tourné."],
  'ops.failed': ['Failed records and jobs', 'Fiches et tâches en échec'],
  'ops.failed.none': ['Nothing failed.', 'Aucun échec.'],
  'ops.failed.when': ['When', 'Quand'],
  'ops.failed.what': ['What', 'Quoi'],
  'ops.failed.reason': ['Reason', 'Raison'],
  'ops.failed.attempts': ['Attempts', 'Tentatives'],
  'ops.retry': ['Retry', 'Relancer'],
  'ops.retry.all': ['Retry all', 'Tout relancer'],
  'ops.retried': ['{count} entr(y/ies) handed back to the queues.', '{count} entrée(s) remise(s) en file.'],
  'ops.links': ['Tools', 'Outils'],
  'ops.dashboard': ['Queue dashboard', 'Tableau de bord des files'],
  'ops.metrics': ['Prometheus metrics', 'Métriques Prometheus'],
  'ops.showing': ['Showing {shown} of {total}.', '{shown} affichées sur {total}.'],
  'preview.title': ['What-if preview', 'Simulation'],
  'preview.help': ['Change a weight or a threshold, or edit the text, then preview: the draft is scored on the sample next to the model in use. Nothing is written.', 'Modifiez un poids ou un seuil, ou le texte, puis simulez : le brouillon est calculé sur l’échantillon à côté du modèle en service. Rien n’est écrit.'],
  'preview.run': ['Preview', 'Simuler'],
  'preview.on': ['Sample of', 'Échantillon de'],
  'preview.tiers': ['Tier distribution', 'Répartition par tier'],
  'preview.tier': ['Tier', 'Tier'],
  'preview.current': ['In use', 'En service'],
  'preview.draft': ['Draft', 'Brouillon'],
  'preview.share': ['Share (in use / draft)', 'Part (en service / brouillon)'],
  'preview.moves': ['Tier moves (rows: in use, columns: draft)', 'Changements de tier (lignes : en service, colonnes : brouillon)'],
  'preview.fromTo': ['in use → draft', 'en service → brouillon'],
  'preview.movers': ['Records that move most', 'Fiches qui bougent le plus'],
  'preview.noMovers': ['No record changes score.', 'Aucune fiche ne change de score.'],
  'preview.record': ['Record', 'Fiche'],
  'preview.reasons': ['Reasons', 'Raisons'],
  'preview.before': ['before:', 'avant :'],
  'preview.after': ['after:', 'après :'],
  'preview.deals': ['Closed deals ({count}, {won} won)', 'Affaires conclues ({count}, dont {won} gagnées)'],
  'preview.topWinRate': ['Top-tier win rate', 'Taux de gain du meilleur tier'],
  'preview.summary': ['{count} {crm} {objectType} read {readAt} · model {current} → draft {draft} · computed in {ms} ms', '{count} {crm} {objectType} lus le {readAt} · modèle {current} → brouillon {draft} · calculé en {ms} ms'],
  'preview.headline': ['{tiers} records change tier, {scores} change score', '{tiers} fiches changent de tier, {scores} changent de score'],
  'preview.averages': ['average score {current} → {draft}', 'score moyen {current} → {draft}'],
  'preview.noChange': ['The draft is the same model.', 'Le brouillon est le même modèle.'],
  'sample.ready': ['Sample: {count} records read {readAt}.', 'Échantillon : {count} fiches lues le {readAt}.'],
  'sample.reading': ['Reading the sample: {count} of {size} records so far…', 'Lecture de l’échantillon : {count} fiches sur {size} pour l’instant…'],
  'sample.failed': ['The last sample read failed: {error}', 'La dernière lecture de l’échantillon a échoué : {error}'],
  'sample.empty': ['No sample read yet.', 'Aucun échantillon lu pour l’instant.'],
  'sample.refresh': ['Read the sample again', 'Relire l’échantillon'],
  'sample.notReady': ['The sample is still being read from the CRM; preview again in a moment.', 'L’échantillon est en cours de lecture dans le CRM ; relancez la simulation dans un instant.'],
  'model.title': ['Model', 'Modèle'],
  'model.draft': ['Draft', 'Brouillon'],
  'model.criteria': ['Criteria and weights', 'Critères et poids'],
  'model.matcher': ['Matcher (value → points)', 'Correspondance (valeur → points)'],
  'model.share': ['Share of the score', 'Part du score'],
  'model.tiers': ['Tier thresholds', 'Seuils des tiers'],
  'model.minScore': ['Minimum score', 'Score minimum'],
  'model.excludedTier': ['records hit by an exclusion', 'fiches touchées par une exclusion'],
  'model.exclusions': ['Exclusions', 'Exclusions'],
  'model.noExclusions': ['No exclusion.', 'Aucune exclusion.'],
  'model.roles': ['Buying roles', "Rôles d'achat"],
  'model.noRoles': ['No buying role: accounts only.', "Aucun rôle d'achat : comptes seulement."],
  'model.required': ['required', 'requis'],
  'model.text': ['Model text (YAML)', 'Texte du modèle (YAML)'],
  'model.textHelp': ['Matchers, exclusions, roles and labels are edited in the model text below; every edit is checked as `icp-sync validate` does.', 'Correspondances, exclusions, rôles et libellés se modifient dans le texte du modèle ci-dessous ; chaque modification est vérifiée comme par `icp-sync validate`.'],
  'model.invalid': ['The draft is not a valid model:', "Le brouillon n'est pas un modèle valide :"],
  'model.active': ['In use: {version} (revision {revision}), published by {author}, {at}.', 'En service : {version} (révision {revision}), publiée par {author}, {at}.'],
  'model.noHistory': ['The model history is empty.', "L'historique des modèles est vide."],
  'model.history': ['Model history', 'Historique des modèles'],
  'model.publish': ['Publish', 'Publier'],
  'model.version': ['Version', 'Version'],
  'model.note': ['Note', 'Note'],
  'model.publishHelp': ['Publishing makes the draft the model of every worker within seconds, then rescores every record (follow it on Operations). You can roll back from the history.', "Publier fait du brouillon le modèle de tous les workers en quelques secondes, puis recalcule toutes les fiches (suivez-le dans Opérations). Retour arrière possible depuis l'historique."],
  'model.versionTaken': ['Version {version} is already in the history (revision {revision}); {suggestion} is free and now proposed.', 'La version {version} existe déjà (révision {revision}) ; {suggestion} est libre et proposée.'],
  'model.published': ['Model published; the backfill it starts shows below.', 'Modèle publié ; le rattrapage qu’il lance s’affiche ci-dessous.'],
  'model.rolledBack': ['Rolled back: the restored model is in use.', 'Retour arrière effectué : le modèle restauré est en service.'],
  'model.edit': ['Edit the model', 'Modifier le modèle'],
  'model.export': ['Export as YAML files', 'Exporter en fichiers YAML'],
  'model.exportHelp': ['One file per revision, oldest first, to commit to Git. A model file deployed from Git is added to the history at start.', 'Un fichier par révision, du plus ancien au plus récent, à committer dans Git. Un fichier de modèle déployé depuis Git entre dans l’historique au démarrage.'],
  'model.source': ['Source', 'Origine'],
  'model.source.console': ['console', 'console'],
  'model.source.file': ['file', 'fichier'],
  'model.source.rollback': ['rollback to #{revision}', 'retour à #{revision}'],
  'model.inUse': ['in use', 'en service'],
  'model.diff': ['Diff', 'Différences'],
  'model.diffTitle': ['From {from} to {to}', 'De {from} à {to}'],
  'model.rollback': ['Roll back to #{revision}', 'Revenir à #{revision}'],
  'audit.title': ['Audit log', "Journal d'audit"],
  'audit.when': ['When', 'Quand'],
  'audit.who': ['Who', 'Qui'],
  'audit.action': ['Action', 'Action'],
  'audit.details': ['Details', 'Détails'],
  'audit.empty': ['Nothing recorded yet.', "Rien d'enregistré pour l'instant."],
  'audit.action.backfill': ['backfill', 'rattrapage'],
  'audit.action.retry': ['retry', 'relance'],
  'audit.action.rescore': ['rescore', 'recalcul'],
  'audit.action.publish': ['publish', 'publication'],
  'audit.action.rollback': ['rollback', 'retour arrière'],
  'audit.action.mappings': ['mapping change', 'changement de correspondances'],
  'audit.action.sign-in': ['sign-in', 'connexion'],
  'error.title': ['Something went wrong', "Quelque chose s'est mal passé"],
  'error.body': ['The request failed: {message}', 'La requête a échoué : {message}'],
} as const satisfies Record<string, readonly [string, string]>;

export type LabelKey = keyof typeof DICT;
export type Translate = (key: LabelKey, vars?: Readonly<Record<string, string | number>>) => string;

export function translator(lang: Lang): Translate {
  const index = lang === 'fr' ? 1 : 0;
  return (key, vars) => {
    const text: string = DICT[key][index];
    return vars === undefined ? text : text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
  };
}

const isLang = (v: unknown): v is Lang => v === 'en' || v === 'fr';

/** The language of a request: explicit choice, then remembered choice, then the browser's preference. */
export function pickLang(query: unknown, cookie: string | undefined, acceptLanguage: string | undefined): Lang {
  if (isLang(query)) return query;
  if (isLang(cookie)) return cookie;
  const prefs = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.slice(0, 2).toLowerCase(), q: q === undefined ? 1 : Number(q.slice(2)) || 0 };
    })
    .filter((p) => isLang(p.lang) && p.q > 0)
    .sort((a, b) => b.q - a.q);
  const first = prefs[0]?.lang;
  return isLang(first) ? first : 'en';
}

/** Numbers and dates in the page's language. */
export function formatNumber(lang: Lang, n: number, digits = 0): string {
  return n.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function formatDate(lang: Lang, iso: string | undefined | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
}
