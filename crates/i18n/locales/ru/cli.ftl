# Слова командной строки по-русски (её вывод для человека; формы --json и --quiet — для
# скриптов и не меняются). Ключи те же, что в en/cli.ftl.

cli-token-for = Токен для { $name } (показан только сейчас: сохраните его и передайте пользователю { $name }):
cli-no-token = пользователь { $name }: сервер не вернул токен
cli-user-disabled = пользователь { $name } отключён
cli-disabled-mark = (отключён)
cli-same-text = внимание: у статьи { $earlier } точно такой же текст; эта отправка — вторая статья ({ $id }), она не объединена с первой
cli-claims-extracted = { $count ->
    [one] Извлечено { $count } утверждение:
    [few] Извлечено { $count } утверждения:
   *[many] Извлечено { $count } утверждений:
}
cli-first-start = claimledger: первый запуск, поэтому создан пользователь «admin» (роль admin).
    Его токен показан только сейчас — сохраните его:
cli-first-start-open = Откройте { $base }/ в браузере и войдите с ним или добавьте сотрудников редакции отсюда, например:
cli-not-extracted = статья { $id } не разобрана за { $seconds } с; посмотрите позже: `claimledger claims --article { $id }`
cli-taken = утверждение { $id } ваше до { $until }
cli-reextraction = повторный разбор статьи { $id } запрошен (событие { $event })
cli-reviewed = утверждение { $id }: { $status } (версия { $version })
cli-by-source = — источник { $source }
cli-claim-described = утверждение { $id }: { $status }, тип источника — { $sourcing }{ $source } (версия { $version }, редакция { $revision })

## tables and summaries
cli-column-claim = УТВЕРЖДЕНИЕ
cli-column-status = СТАТУС
cli-column-sourcing = ИСТОЧНИК
cli-column-date = ДАТА
cli-column-source = КТО
cli-column-sentence = ПРЕДЛОЖЕНИЕ
cli-search-summary = показано { $shown } из { $total } найденных утверждений ({ $micros } мкс в индексе)
cli-import-read = { $file }: строк — { $rows }, за { $seconds } с ({ $rate } строк/с)
cli-import-new = новых:           { $count }
cli-import-present = уже были:        { $count }
cli-import-rejected = отклонено:       { $count }
cli-import-lines = { $count ->
    [one] строка { $lines }
   *[other] строки { $lines }{ $more ->
        [0] {""}
       *[other] {" "}и ещё { $more }
    }
}: { $reason }
cli-import-stopped-early = остановлен досрочно: { $reason }
cli-import-stopped = импорт остановился, не дойдя до конца: { $reason }
cli-import-some-rejected = отклонено строк: { $rejected } из { $rows } (см. выше); остальные сохранены
## two reviewers
cli-confirmed = утверждение { $id }: вердикт подтверждён, статус — { $status }
cli-disputed = утверждение { $id }: вердикт оспорен, статус снова — { $status }
cli-two-reviewers-on = правило двух проверяющих: включено (каждый вердикт ждёт подтверждения вторым проверяющим)
cli-two-reviewers-off = правило двух проверяющих: выключено (вердикт действует сразу)

## branch cli-ru: every other human line of the CLI, and the errors it prints
cli-up-open = claimledger работает: откройте { $base }/ в браузере (Ctrl+C останавливает).
cli-yes = да
cli-no = нет
cli-column-version = В
cli-column-hedged = ОГОВОРКА
cli-column-content = СУТЬ
cli-column-score = ОЦЕНКА
cli-column-assigned = НАЗНАЧЕНО
cli-column-taken = ВЗЯЛ
cli-assigned = утверждение { $id } назначено: { $reviewer }
cli-assigned-many = назначено утверждений: { $count } (кому: { $reviewer }), отказано: { $refused }
cli-assign-refused-row = { $id }  отказано: { $reason }
cli-unassigned = утверждение { $id } ни на кого не назначено
cli-assign-needs-target = укажите утверждение или статью (--article)
cli-assign-some-refused = не назначено утверждений статьи { $article }: { $refused }
cli-verify-ok = в порядке: проверено записей — { $size }; вершина цепочки { $head }; корень дерева { $root }
cli-verify-checkpoint = контрольная точка: { $checkpoint }
cli-verify-checkpoint-differs = история НЕ совпадает с контрольной точкой: { $checkpoint }
cli-verify-bad = история НЕ проходит проверку: первая испорченная запись — номер { $seq } ({ $problem }); записей до неё, целых: { $size }
cli-diff-none = между записями { $from } и { $to } изменений нет
cli-diff-changes = изменения от записи { $from } до записи { $to }:
cli-history-none = в истории нет событий об утверждении { $id }
cli-gold-written = эталон записан в { $dir }: статей — { $articles }, утверждений — { $claims }
cli-gold-left-out = пропущено статей, где решены ещё не все утверждения: { $count } (их берёт --partial)
cli-gold-needs-out = --format gold требует --out КАТАЛОГ
cli-rebuilt = проекция проверки перестроена из записей истории: { $applied } (сначала догнано с шины: { $caught })
cli-rebuild-needs-data = rebuild работает без сети на остановленном каталоге данных `up`: укажите --data КАТАЛОГ
cli-replay-summary = на запись { $seq }{ $at }: статей — { $articles }, утверждений — { $claims }, пользователей — { $users }
cli-replay-at = {" "}({ $at })
cli-replay-status = {"  "}{ $status }: { $count }
cli-eval-header = экстрактор { $version } на { $dir } (статей: { $count })
cli-eval-language = ЯЗЫК
cli-eval-recall = ПОЛНОТА
cli-eval-precision = ТОЧНОСТЬ
cli-eval-status = ТИП
cli-eval-source = ИСТОЧНИК
cli-eval-hedged = ОГОВОРКА
cli-eval-gold = ЭТАЛОН
cli-eval-predicted = НАЙДЕНО
cli-eval-matched = СОВПАЛО
cli-eval-misses = предложений, расходящихся с эталоном: { $count } (все подробности — с --json):
cli-eval-missed = пропущено
cli-eval-not-a-claim = не утверждение
cli-eval-differs-status = тип { $found } (в эталоне { $gold })
cli-eval-differs-source = источник { $found } (в эталоне { $gold })
cli-eval-differs-hedged = оговорка { $found } (в эталоне { $gold })
cli-eval-polnear-header = экстрактор { $version } на PolNeAR { $split } (статей: { $count })
cli-eval-polnear-scores = полнота источников { $recall } ({ $recalled } из { $gold } атрибуций), точность { $precision } ({ $precise } из { $predicted } утверждений с источником)
cli-eval-needs-dir = eval требует --gold КАТАЛОГ или --polnear КАТАЛОГ
cli-eval-split-without-polnear = --split выбирает часть PolNeAR: он идёт с --polnear, не с --gold
cli-needs-token = этой команде нужен токен: передайте --token или задайте CLAIMLEDGER_TOKEN
cli-cannot-reach = не удаётся связаться с claimledger по адресу { $server }
cli-cannot-read = не удаётся прочитать { $file }
cli-cannot-read-stdin = не удаётся прочитать стандартный ввод
cli-not-utf8 = { $file } — не текст в UTF-8 (неверный байт на позиции { $offset })
cli-no-target = не указано, с чем работать: задайте --server, --data или --nats
cli-unverified-needs-note = вердикт «не подтверждено» требует --note с объяснением
cli-review-needs-verdict = укажите вердикт (verified или unverified) или --basis ИД_УТВЕРЖДЕНИЯ
cli-dismiss-needs-reason = отклонение требует --reason: почему это не утверждение
cli-nothing-to-correct = исправлять нечего: задайте --sourcing, --source, --no-source или --hedged
cli-sentence-out-of-range = предложений в статье: { $count }; --sentence принимает 1..={ $count } (см. --list)
cli-not-a-claim-id = { $text } — не идентификатор утверждения (UUID)
cli-not-an-event-id = { $text } — не идентификатор события (UUID)
cli-not-a-time = { $text } — не время в формате RFC 3339
cli-not-a-point = { $text } — ни номер записи, ни время в формате RFC 3339
# Отказ сервера: вид отказа по-русски, затем подробность, которую командная строка узнала;
# слова сервера, которых она не знает, приводятся в кавычках как ответ сервера.
cli-refused = { $kind } ({ $number }): { $detail }
cli-refused-no-such = { $what ->
    [claim] нет утверждения { $id }
    [article] нет статьи { $id }
    [user] нет пользователя { $id }
   *[other] нет такого объекта: { $id }
}
cli-refused-lacks-role = у пользователя { $name } нет нужной роли (нужна: { $roles })
cli-refused-token = токен не принят (неверный, отключён или заменён новым)
cli-refused-version = утверждение изменилось: сейчас его версия { $version }
cli-refused-server-said = ответ сервера: «{ $detail }»
cli-refused-not-uuid = { $raw } — не идентификатор (UUID)
cli-refused-own-article = тот, кто отправил статью, не может проверять её утверждения
cli-or = или
cli-change-article-submitted = + статья { $id } { $title }, отправил(а) { $by }
cli-change-article-extracted = ~ статья { $id } разобрана экстрактором { $version }: утверждений — { $claims }
cli-change-claim-extracted = + утверждение { $id } { $content }
cli-change-claim-reviewed = ~ утверждение { $id }: { $from } -> { $to } (версия { $version }, редакция { $revision }, решали: { $by })
cli-change-user-added = + пользователь { $name } ({ $roles })
cli-change-user-roles = ~ пользователь { $name }: роли { $from } -> { $to }
cli-change-user-disabled = - пользователь { $name } отключён
cli-cannot-listen = не удаётся слушать адрес { $address }
cli-data-in-use = каталог данных { $dir } занят запущенным процессом claimledger; остановите его или обращайтесь к нему через --server вместо --data
cli-cannot-create-dir = не удаётся создать каталог данных { $dir }
# Причины от системы: командная строка заменяет их слова своими.
cli-io-not-found = нет такого файла или каталога
cli-io-permission-denied = доступ запрещён
cli-io-addr-in-use = адрес уже занят
cli-io-connection-refused = в соединении отказано (запущен ли там claimledger?)
cli-io-timed-out = время ожидания истекло
cli-io-already-exists = уже существует
cli-refused-taken = утверждение { $id } взял(а) { $name } до { $until }
cli-refused-already-dismissed = утверждение { $id } уже отклонено
cli-refused-queue-empty = в очереди больше нет утверждений для вас
cli-import-batch-empty = имя партии пустое
cli-import-batch-too-long = имя партии { $batch } слишком длинное для Idempotency-Key (в кодировке символов: { $length }, можно не больше { $max }): задайте --batch короче
cli-import-unknown-column = в заголовке CSV неизвестный столбец { $name }; столбцы: { $columns }
cli-import-column-twice = столбец { $name } дважды встречается в заголовке CSV
cli-import-no-column = в заголовке CSV нет столбца { $name }
cli-import-header-unreadable = не удаётся прочитать заголовок CSV
cli-import-header-not-utf8 = заголовок CSV — не текст в UTF-8
cli-import-unknown-format = по расширению не понять формат { $file } (.ndjson, .jsonl или .csv): задайте --format
cli-import-stdin-needs-batch = чтение стандартного ввода: задайте --batch ИМЯ (оно даёт строкам их ключи, поэтому повторный запуск должен назвать то же имя)
cli-refused-offline = { $kind }: { $detail }
cli-refused-user-exists = пользователь { $name } уже есть (имена не используются повторно)
cli-refused-user-disabled = пользователь { $name } отключён
cli-refused-last-admin = { $name } — последний действующий администратор: сначала сделайте администратором кого-то другого
