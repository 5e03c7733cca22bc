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
