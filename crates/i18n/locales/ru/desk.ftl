# Слова рабочего места по-русски. Ключи те же, что в en/desk.ftl: тест падает, если какого-то
# ключа нет в одном из файлов. { $name } подставляет программа; сохраняйте его в переводе.

## Каркас страницы
skip-to-content = К содержимому
nav-main = Главное
nav-articles = Статьи
nav-queue = Очередь
nav-search = Поиск
nav-timeline = Журнал
nav-replay = Состояние на момент
nav-chain = Цепочка
nav-users = Пользователи
signed-in-as = Вы вошли как
sign-out = Выйти
sign-out-everywhere = Выйти на всех устройствах
sign-out-everywhere-hint = Завершает все ваши сеансы во всех браузерах, включая этот.

## Роли
role-editor = редактор
role-reviewer = проверяющий
role-auditor = аудитор
role-admin = администратор

## Вход
sign-in = Войти
your-token = Ваш токен
token-hint = Токен, который выдал администратор (начинается с clt_). Он хранится в cookie, недоступной скриптам, пока вы не выйдете или не закроете браузер.
token-unknown = Токен неизвестен, заменён или отключён.
signin-expired = Форма входа устарела или пришла с другого сайта. Войдите ещё раз.

## Главная
welcome = Здравствуйте, { $name }
pending-claims = { $count ->
    [one] { $count } утверждение ждёт вердикта.
    [few] { $count } утверждения ждут вердикта.
   *[many] { $count } утверждений ждут вердикта.
}

## Страницы, которые нельзя показать
page-not-found = По этому адресу страницы нет.
back-home = На главную

## Карточки главной страницы
home-title = Главная
home-editor = Редактор
home-editor-link = Отправить статью и следить за своими статьями
home-editor-rest = — их разбор и профиль источников.
home-reviewer = Проверяющий
home-queue-link = Очередь проверки
home-waiting = ждут вердикта:
home-auditor = Аудитор
home-timeline = Журнал событий
home-replay = Состояние на выбранный момент
home-verify = Проверить цепочку хешей
home-admin = Администратор
home-users-link = Пользователи
home-users-rest = : добавить, заменить токен, изменить роли, отключить. Также из командной строки и через API:
home-keys = Клавиши: Alt+H — главная, Alt+E — статьи, Alt+Q — очередь, Alt+T — журнал, Alt+R — состояние на момент, Alt+C — цепочка, Alt+U — пользователи; на странице утверждения Alt+1 / Alt+2 выбирают вердикт, Alt+S записывает его.

## Слова, общие для многих страниц
sourcing-named = назван
sourcing-anonymous = анонимный
sourcing-vague = неопределённый
sourcing-unattributed = без источника
status-pending = ждёт проверки
status-verified = подтверждено
status-unverified = не подтверждено
status-dismissed = отклонено
hedged = с оговоркой
extraction-done = разобрана
extraction-pending = ждёт разбора
language-ru = русский
language-en = английский
col-score = Важность
col-claim = Утверждение
col-source = Источник
col-sourcing = Тип источника
col-status = Статус
col-article = Статья
col-extracted = Извлечено
col-date = Дата
col-verdict = Вердикт
col-work-on-it = Взять в работу
no-claims = Утверждений нет.
by = —
by-nobody = никем
until = до
on-time = ·
take = Взять
taken = Взято
taken-by = Взято:
optional = (необязательно)
required = (обязательно)
note = Примечание
why = Почему
version-n = версия { $version }
source-phrase = Указание на источник
date-from = С
date-to = По
filter-any = любой
filter-button = Отобрать
filter-language = Язык
filter-article-id = Идентификатор статьи
claim-word = утверждение
in-article = в статье
in-article-cap = В статье

## График источников
profile-of-article = Профиль источников статьи { $id }
profile-caption = Профиль источников: утверждений — { $claims }, подтверждено — { $verified }, не подтверждено — { $unverified }
profile-dismissed = отклонено — { $dismissed }
profile-verified = подтверждено: { $count }

## Отказы на страницах
http-400 = Неверный запрос
http-403 = Доступ запрещён
http-404 = Не найдено
http-405 = Метод не разрешён
http-409 = Конфликт
http-413 = Слишком большой запрос
http-415 = Неподдерживаемый тип данных
http-422 = Невозможно обработать
http-429 = Слишком много запросов
http-500 = Внутренняя ошибка сервера
http-503 = Сервис недоступен
http-504 = Превышено время ожидания
http-error = Ошибка
refused-bad_request = Запрос отклонён
refused-unauthorized = Вы не вошли
refused-forbidden = Не разрешено
refused-not_found = Не найдено
refused-conflict = Конфликт
refused-payload_too_large = Слишком большой объём
refused-request_timeout = Слишком долго
refused-unsupported_media_type = Неподдерживаемый тип файла
refused-unprocessable = Невозможно обработать
refused-too_many_requests = Слишком много запросов
refused-unavailable = Сервис недоступен
refused-internal = Внутренняя ошибка
not-a-article-id = { $id } — не идентификатор статьи
not-a-claim-id = { $id } — не идентификатор утверждения
not-a-choice = { $value } — не из предложенных вариантов
not-a-date = { $value } — не дата (ГГГГ-ММ-ДД)
form-lost-basis = Форма потеряла найденное утверждение; обновите страницу.
form-choose-verdict = Выберите «подтверждено» или «не подтверждено».
form-lost-version = Форма потеряла версию утверждения; обновите страницу.
form-lost-revision = Форма потеряла редакцию утверждения; обновите страницу.
form-sourcing-unknown = Выберите один из типов источника.
form-pick-sentence = Выберите предложение.

## Очередь проверки
queue-title = Очередь проверки
queue-count = { $count ->
    [one] утверждение ждёт вашей проверки, самые важные — первыми
    [few] утверждения ждут вашей проверки, самые важные — первыми
   *[many] утверждений ждут вашей проверки, самые важные — первыми
}
queue-first-shown = (показаны первые { $count })
queue-left-out = Утверждения, которые взял другой проверяющий, и утверждения из ваших статей здесь не показаны; новые утверждения появляются, как только их извлекут.
already-reviewed-in = { $count ->
    [one] уже проверено в { $count } статье
   *[other] уже проверено в { $count } статьях
}
queue-gone = ушло из очереди
queue-taken-by = взято:
queue-new-one = Новых утверждений: {"{"}n{"}"}.
queue-new-many = Новых утверждений: {"{"}n{"}"}.

## Поиск
search-title = Поиск утверждений
search-words = Слова
search-placeholder = слова в любой форме: решения, decisions
search-count = { $count ->
    [one] Найдено { $count } утверждение
    [few] Найдено { $count } утверждения
   *[many] Найдено { $count } утверждений
}
search-hint = Слова ищутся в любой форме («решения» находит «решение») в предложении утверждения, его источнике и заголовке статьи; совпасть должны все. Работают и «фразы в кавычках», -исключённые слова и OR.
search-dates-reversed = Первая дата позже второй.
search-too-long = Текст поиска длиннее { $max } символов.

## Утверждение
claim-title = Утверждение
done-verdict = Ваш вердикт записан: теперь утверждение
done-correction = Ваше исправление записано: теперь источник —
done-correction-rest = Что сказала машина, остаётся в истории.
done-dismissal = Утверждение отклонено как не являющееся утверждением
done-dismissal-rest = оно ушло из очереди. Вердикт вернёт его.
done-taken = Утверждение ваше
done-taken-rest = пока никто другой не может его проверить.
done-added = Ваше утверждение добавлено к статье и ждёт в очереди.
done-match-rejected = Совпадение отклонено и больше не показывается.
same-claim-elsewhere = То же утверждение в других статьях
matches-summary = { $count ->
    [one] Уже проверено в { $count } статье
   *[other] Уже проверено в { $count } статьях
}
similarity = сходство
apply-verdict = Применить этот вердикт
not-same-claim = Это другое утверждение
correct-machine = Исправить машину
source-phrase-hint = (как написано в предложении; пусто, если источника нет)
hedged-hint = с оговоркой («ожидается», «может», «по сообщениям»…)
record-correction = Записать исправление
dismiss-why = Это не утверждение? Объясните почему
dismiss-button = Отклонить как не утверждение
add-missed-link = Добавить утверждение, которое машина пропустила в этой статье
your-verdict = Ваш вердикт
note-hint = (обязательно для «не подтверждено»)
evidence-links = Ссылки на доказательства
evidence-hint = (по одной в строке, http или https)
record-verdict = Записать вердикт
conflict-decided = Не записано: пока вы читали, по этому утверждению уже приняли решение.
conflict-now = Ниже утверждение в нынешнем виде:
conflict-resend = Набранное сохранено в форме; отправьте его снова, чтобы записать поверх.
conflict-taken = Не записано: это утверждение взял другой проверяющий.
holds-it-until = держит его до
conflict-taken-rest = Решения по нему ещё нет. Набранное сохранено в форме; его можно отправить, когда утверждение освободится.
superseded = Заменено: в версии { $version } статьи этого предложения нет. Утверждение остаётся в истории; решения по нему принять нельзя.
carried-into = Перенесено в версию { $version } статьи
it-read-before = раньше было:
no-source-article-asserts = — (утверждает сама статья)
no-source = — (без источника)
reported-by = Сообщил
added = Добавлено
verdicts = Вердикты
applied-from = применено из
evidence = доказательство
corrections = Исправления
correction-dismissed = отклонено
correction-corrected = исправлено
correction-added = добавлено
was = было:
own-article = Эту статью отправили вы: её утверждения проверяют другие.
held-rest = формы откроются, когда утверждение освободится.
sentence-is = Предложение утверждения
highlighted = выделено
source-phrase-is = указание на источник
underlined = подчёркнуто
article-text = Текст статьи
article-unavailable = Статья недоступна.

## Добавление пропущенного утверждения
add-claim-title = Добавить пропущенное утверждение
add-claim-page = Добавить утверждение
add-claim-hint = выберите предложение с утверждением, которое пропустила машина, и укажите, кто его делает.
sentence = Предложение
sentence-hint = (предложения, где утверждение уже есть, не показаны)
every-sentence-has-claim = В каждом предложении этой статьи уже есть утверждение.
add-source-hint = (как написано; пусто, если источника нет)
what-is-claimed = Что утверждается
what-is-claimed-hint = (необязательно; по умолчанию всё предложение)
add-claim-button = Добавить утверждение

## Страницы редактора
title = Заголовок
title-hint = Оставьте пустым при загрузке файла — заголовком станет имя файла.
language-detect = определить
source-url = Адрес источника
outlet = Издание
body-required-hint = (обязательно, если не загружаете файл)
body-hint-paste = Вставьте текст или загрузите ниже файл
body-hint-file = в UTF-8 (файл важнее). Первая строка
body-hint-date = считается датой публикации.
upload-file = …или загрузите файл .txt
submit-article = Отправить статью
submit-an-article = Отправить статью
your-articles = Ваши статьи
no-articles-yet = Вы ещё не отправили ни одной статьи.
submitted = Отправлена
submitted-by = Отправил(а)
upload-too-large = Файл слишком большой.
form-unreadable = Не удалось прочитать форму: { $why }
file-not-utf8 = «{ $file }» — не текст в UTF-8.
no-article-text = Нет текста статьи: вставьте его или выберите файл .txt.
title-empty = Заголовок пуст: его можно не заполнять только при загрузке файла.
article-received = Статья получена
article-received-hint = Статья сохранена, из неё извлекаются утверждения. Страница обновится сама.
version-of = версия { $version } из { $count }
published = опубликована
claims-being-extracted = Утверждения извлекаются; страница обновится сама.
claims = Утверждения
add-missed-short = Добавить пропущенное утверждение
text = Текст

## Версии статьи
send-new-version = Отправить исправленный или обновлённый текст (версия { $version })
version-title = Заголовок (оставьте пустым, чтобы не менять)
version-body = Весь новый текст
version-hint = Утверждения, чьё предложение осталось, сохраняют вердикты; остальные заменяются, а новые попадают в очередь.
version-store = Сохранить новую версию
version-heading = Версия { $version }
version-current = (текущая)
version-submission = первая отправка
by-cap = Автор:
version-being-extracted = утверждения извлекаются
version-carried = перенесено
version-superseded = заменено
version-new = новое
removed-in-version = удалено в версии { $version }
changes-from-version = Изменения относительно версии { $version }
versions = Версии
page-shows-version = На странице версия { $version } из { $count }.
superseded-claims = Заменённые утверждения
removed-in = Удалено в
status-when-removed = Статус при удалении

## Страницы аудитора
extractor = извлекатель
summary-claims = { $count ->
    [one] { $count } утверждение
    [few] { $count } утверждения
   *[many] { $count } утверждений
}
on-version = к версии { $version }
as-roles = с ролями
timeline-pages = Страницы журнала
earlier = Раньше
first = В начало
later = Позже
timeline-hint = Все события в том порядке, в каком их записал журнал аудита. Время — по часам журнала.
start-after-seq = Начать после номера
go = Перейти
no-events-after = После { $seq } событий нет.
col-seq = №
col-recorded = Записано
col-event = Событие
col-by = Кто
col-what = Что
col-subject = Объект
col-version = Версия
col-name = Имя
col-roles = Роли
col-state = Состояние
state-as-of-event = Состояние на момент этого события
not-a-moment = { $value } — не время вида 2025-10-30T12:00:00Z
seq-or-moment = Укажите номер или момент, но не то и другое.
not-a-seq = { $value } — не номер записи
state-after-record = Состояние после записи
recorded = записано
count-articles = { $count ->
    [one] { $count } статья
    [few] { $count } статьи
   *[many] { $count } статей
}
count-users = { $count ->
    [one] { $count } пользователь
    [few] { $count } пользователя
   *[many] { $count } пользователей
}
none-yet = Пока нет.
replay-article-claims = утверждений: { $count }; подтверждено — { $verified }, не подтверждено — { $unverified }, ждут проверки — { $pending }
last-verdict-by = Последний вердикт вынес
user-disabled = отключён
user-active = активен
replay-title = Состояние на момент
after-seq = После записи номер
or = или
at-moment = На момент (UTC)
replay-button = Показать
replay-hint = Пустые поля показывают последнее состояние. Момент сверяется с часами журнала аудита.
verify-title = Проверка цепочки
verify-ok = История сходится: записей — { $count }, все звенья хешей целы.
verify-bad = История не сходится.
first-bad-record = Первая неверная запись: номер
records-checked = Проверено записей: { $count }.
chain-head = Вершина цепочки
verify-hint = Пересчитано сейчас по всем записям: хеш каждой записи покрывает её номер, время записи, идентификатор события, предыдущий хеш и байты события.

## Пользователи (страница администратора)
user-added = Пользователь { $name } добавлен.
old-token-dead = Старый токен пользователя { $name } больше не действует.
copy-token-now = Скопируйте токен сейчас: больше он показан не будет.
token-for = Токен для { $name }
give-token = Передайте его пользователю { $name } по закрытому каналу. Хранится только его хеш: если токен потеряется, замените его.
you = (вы)
disabled-for-good = Отключён навсегда: имя больше не используется.
rotate-label = Заменить токен пользователя { $name }
rotate-token = Заменить токен
change-roles-label = Изменить роли пользователя { $name }
change-roles = Изменить роли
roles-of = Роли пользователя { $name }
save-roles = Сохранить роли
sign-out-label = Завершить все сеансы пользователя { $name }
sessions = Сеансы…
sessions-hint = Завершает все его сеансы в браузерах, на всех серверах; токен продолжает действовать.
disable-label = Отключить пользователя { $name }
disable = Отключить…
disable-hint = Токен сразу перестаёт действовать на всех серверах. Отключённого пользователя нельзя включить снова.
disable-for-good = Отключить пользователя { $name } навсегда
own-token = Это был ваш собственный токен: этот браузер теперь вошёл с новым.
users-count = { $count ->
    [one] { $count } пользователь, включая отключённых.
    [few] { $count } пользователя, включая отключённых.
   *[many] { $count } пользователей, включая отключённых.
}
col-actions = Действия
add-user-title = Добавить пользователя
name-hint = От 1 до 64 знаков из a–z 0–9 . _ -, первый — буква или цифра. Имена не используются повторно.
add-user-button = Добавить пользователя
token-shown-once = Токен нового пользователя будет показан один раз, на следующей странице.
done-disabled = { $name } отключён: его токен больше не действует.
done-signed-out = Все сеансы пользователя { $name } в браузерах завершены.
done-roles = Роли пользователя { $name } теперь: { $roles }.
csrf-refused = Эта форма отправлена не со страницы claimledger вашего сеанса (проверка CSRF). Обновите страницу и попробуйте снова.

## Настройки пользователя
settings = Ваши настройки
settings-language = Язык
settings-browser = как просит браузер
settings-zone = Часовой пояс
settings-zone-placeholder = браузера, например Europe/Moscow
settings-save = Сохранить настройки
settings-hint = Хранятся вместе с вашей учётной записью на всех серверах и важнее языка и часового пояса браузера. Точное время по UTC видно при наведении.
settings-saved = Настройки сохранены.
## Фильтры журнала
kind-claim = утверждения
kind-article = статьи
kind-user = пользователи

## team
team-assigned-to = Назначено
team-assigned-by = назначил(а) { $name },
team-nobody = никому
team-assign-to = Назначить
team-assign-all-to = Назначить все утверждения
team-assign = Назначить
team-unassign = Снять назначение
team-next-claim = Следующее утверждение
team-next-key = (Alt+N)
team-choose-reviewer = Выберите проверяющего.
team-queue-empty = Других утверждений для вас в очереди нет.
team-back-to-queue = Назад к очереди
team-my-claims = Мои утверждения
team-my-claims-hint = Ожидающие утверждения, назначенные вам или взятые вами; самые важные для проверки — первыми.
team-my-claims-empty = Вам ничего не назначено, и вы ничего не взяли.
team-claim = Утверждение
team-why-mine = Почему ваше
team-assigned-to-me = назначено вам
team-taken-by-me = взято вами
team-assigned-filter = Назначение
team-anyone = любое или никакого
team-unassigned-only = Только неназначенные
team-pick = Выбор
team-bulk-action = С выбранными утверждениями
team-bulk-take = взять
team-bulk-assign = назначить
team-bulk-unassign = снять назначение
team-bulk-dismiss = отклонить
team-bulk-reason = Причина (для отклонения)
team-bulk-apply = Применить
team-bulk-none-picked = Ничего не выбрано: сначала отметьте строки.
team-bulk-results = Действие над несколькими утверждениями
team-article-assigned = Утверждения статьи назначены
team-bulk-summary = Выполнено: { $succeeded }, отказано: { $refused }.
team-outcome = Результат
team-succeeded = готово:
team-refused = отказ

## source not in the text (a reviewer's source phrase the sentence does not hold)
source-not-in-text = (нет в тексте)
source-elsewhere-checkbox = в тексте этот источник не назван

## audit trail
trail-title = История утверждения
trail-hint = Все события об этом утверждении в том порядке, в каком их записал журнал аудита. У каждого есть ссылка на доказательство того, что журнал его содержит.
trail-claim-page = страница утверждения
trail-col-proof = Доказательство
trail-proof-link = доказательство включения
trail-history-short = история
trail-history-link = Вся история утверждения
trail-no-events = В журнале нет событий об утверждении { $id }.
trail-not-an-id = «{ $value }» — не идентификатор { $what }.
trail-what-claim = утверждения
trail-what-event = события
trail-bad-download = Нечего скачать как «{ $value }»: можно скачать доказательство или лист.
trail-event = Событие
trail-proof-title = Доказательство включения
trail-proof-hint = Доказательство показывает, что событие ниже входит в журнал, который покрывает последняя подписанная контрольная точка. Его можно проверить без сети по листу и ключу проверки журнала.
trail-proof-heading = Доказательство
trail-leaf-heading = Лист: событие в том виде, в каком оно записано
trail-download-proof = Скачать доказательство
trail-download-leaf = Скачать лист
trail-claim-extracted = Извлечено
trail-claim-corrected = Исправлено
trail-claim-taken = Взято на проверку
trail-claim-assigned = Назначено
trail-claim-unassigned = Назначение снято
trail-claim-reviewed = Вердикт
trail-claim-dismissed = Отклонено
trail-claim-added = Добавлено вручную
trail-claim-matched = Совпадает с
trail-claim-match-rejected = Совпадение отвергнуто
trail-claim-carried = Перенесено в новую версию
trail-claim-superseded = Заменено
trail-article-extracted = Статья прочитана
trail-article-versioned = Статья изменена
## queue filters
filter-status = Статус
filter-hedged = С оговоркой
hedged-only = только с оговоркой
hedged-not = без оговорки
filter-outlet = Издание
filter-title = Слова заголовка
filter-published-from = Опубликовано с
filter-published-to = Опубликовано по
filter-order = Порядок
order-queue = по важности проверки
order-age = сначала новые
order-article = по статьям
order-extracted = сначала старые
## two reviewers
status-awaiting_confirmation = ждёт подтверждения
## desk-5: the two-reviewer rule on the desk, the auditor's downloads
second-awaiting-title = Ждёт подтверждения второго проверяющего
second-confirm = Подтвердить вердикт
second-dispute = Оспорить вердикт
second-dispute-why = Почему вы его оспариваете
second-hint = Подтверждение оставляет вердикт в силе; после возражения утверждение возвращается в очередь, обе заметки сохраняются.
second-own-verdict = Этот вердикт вынесли вы: подтверждает или оспаривает его другой проверяющий.
second-not-reviewer = Подтверждает или оспаривает вердикт проверяющий, который его не выносил.
second-held = Утверждение взято другим проверяющим: подтвердить или оспорить можно будет, когда оно освободится.
second-superseded = Статья изменилась, и этого предложения в ней больше нет: вердикт нельзя подтвердить.
second-confirmed-by = Подтвердил(а)
second-disputed-by = Оспорил(а)
done-confirmed = Вердикт подтверждён: утверждение теперь
done-disputed = Вердикт оспорен: утверждение снова в очереди, обе заметки сохранены.
newsroom-title = Настройки редакции
two-reviewer-rule = Правило двух проверяющих
two-reviewer-hint = Пока оно включено, каждый вердикт ждёт, чтобы второй проверяющий — не тот, кто его вынес, и не автор статьи — подтвердил или оспорил его.
rule-on = Включено
rule-off = Выключено
rule-changed-by = изменил(а) { $name }
rule-turn-on = Включить правило
rule-turn-off = Выключить правило
rule-saved = Настройки редакции сохранены.
rule-lost = Форма потеряла настройку; обновите страницу.
download-title = Выгрузка
download-csv = Утверждения
download-ndjson = События
download-claimreview = Проверки
download-hint = Дни по часам журнала аудита (UTC), последний — целиком; пусто — с начала или до сих пор. Утверждения — те, с которыми что-то произошло, как они стояли в конце; события — все записанные; проверки — вердикты, вступившие в силу, для читателей фактчекинга.
trail-claim-confirmed = Вердикт подтверждён
trail-claim-disputed = Вердикт оспорен
download-bad-format = «{ $value }» — не формат выгрузки: выберите одну из кнопок.
download-backwards = Диапазон начинается ({ $from }) позже, чем заканчивается ({ $to }).
